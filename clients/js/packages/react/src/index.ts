export { SpectralProvider, useSpectralClient, useLivePaused } from './provider.js';
export { useTask, useTaskEvents, useWorkflow, useCounter, useRun, useTaskList, useRunList, useWorkflowList, useJobRuns, useWorkflowEvents, type LiveHookOptions } from './hooks.js';
export type { LiveResult } from './store.js';
