import { STATUS_COLOURS, type ExtensionStatus } from '../presence.js';

export function StatusDot({ status }: { status: ExtensionStatus }) {
  return <span class="dot" style={{ background: STATUS_COLOURS[status] }} aria-hidden="true" />;
}
