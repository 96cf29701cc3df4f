import type { ExecutionStatus, HealthState } from '../gql/graphql';

/** How a status reads and looks. Colours meet 3:1 contrast against white. */
export interface StatusStyle {
  label: string;
  color: string;
}

const statusStyles: Record<ExecutionStatus, StatusStyle> = {
  NOT_STARTED: { label: 'Not started', color: '#8a94a6' },
  BUFFERED: { label: 'Waiting for a slot', color: '#7c6bc4' },
  RUNNING: { label: 'Running', color: '#1f6fd1' },
  PAUSED: { label: 'Paused', color: '#b7791f' },
  SUSPENDED: { label: 'Suspended', color: '#b7791f' },
  SUCCEEDED: { label: 'Succeeded', color: '#2f855a' },
  FAILED_CONTINUE: { label: 'Failed, continued', color: '#c05621' },
  TERMINAL: { label: 'Failed', color: '#c53030' },
  CANCELED: { label: 'Canceled', color: '#5a6478' },
  REDIRECT: { label: 'Redirected', color: '#7c6bc4' },
  STOPPED: { label: 'Stopped', color: '#5a6478' },
  SKIPPED: { label: 'Skipped', color: '#a0a8b8' },
};

/** The label and colour of an execution, stage or task status. */
export function statusStyle(status: ExecutionStatus): StatusStyle {
  return statusStyles[status] ?? { label: status, color: '#8a94a6' };
}

/** Whether a status may still change on its own. */
export function isActive(status: ExecutionStatus): boolean {
  return status === 'RUNNING' || status === 'PAUSED' || status === 'SUSPENDED' || status === 'BUFFERED' || status === 'NOT_STARTED';
}

const healthStyles: Record<HealthState, StatusStyle> = {
  UP: { label: 'Up', color: '#2f855a' },
  DOWN: { label: 'Down', color: '#c53030' },
  STARTING: { label: 'Starting', color: '#1f6fd1' },
  OUT_OF_SERVICE: { label: 'Out of service', color: '#5a6478' },
  UNKNOWN: { label: 'Unknown', color: '#a0a8b8' },
  FAILED: { label: 'Failed', color: '#822727' },
  SUCCEEDED: { label: 'Succeeded', color: '#2f855a' },
  DRAINING: { label: 'Draining', color: '#c05621' },
};

/** The label and colour of an instance's health. */
export function healthStyle(health: HealthState): StatusStyle {
  return healthStyles[health] ?? { label: health, color: '#a0a8b8' };
}
