export {
  DEFAULT_AUTHORITY_HOST,
  DEFAULT_GRAPH_ENDPOINT,
  getIntegrationView,
  integrationStatus,
  integrationView,
  type IntegrationView,
} from './view.js';
