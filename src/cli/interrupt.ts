/** Ctrl-C state shared by long commands and the exit path: an interrupted run exits 130, whatever failed after. */
export { EXIT_INTERRUPTED } from '../model/user-error.js';

let interrupted = false;

export function markInterrupted(): void {
  interrupted = true;
}

export function wasInterrupted(): boolean {
  return interrupted;
}
