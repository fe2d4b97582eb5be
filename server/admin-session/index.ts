export {
  ADMIN_SESSION_MAX_MS,
  adminSessionRepo,
  csrfMatches,
  type AdminSession,
  type OpenedAdminSession,
} from './sessions.js';
