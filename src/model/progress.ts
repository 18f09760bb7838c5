/** One step of a long run (collection, the what-if advisor), for progress display. */
export interface ProgressEvent {
  readonly step: string;
  readonly state: 'start' | 'done' | 'failed';
  readonly count?: number;
  readonly elapsedMs?: number;
}
