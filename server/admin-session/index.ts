export {
  ADMIN_SESSION_IDLE_MS,
  ADMIN_SESSION_MAX_MS,
  adminSessionRepo,
  csrfMatches,
  type AdminSession,
  type OpenedAdminSession,
} from './sessions.js';
