/** The user's configuration (pgrescue.config.json): rule options, ignore list, ownership overrides. */
export interface Config {
  readonly options: Readonly<Record<string, number | string | boolean>>;
  readonly ignore: readonly string[];
  /** Owner columns per table ("schema.table" or "table"), overriding the inference. */
  readonly owners?: Readonly<Record<string, readonly string[]>>;
  /** Tables anyone may read (plans, public pages): never owner-scoped. */
  readonly publicTables?: readonly string[];
  /** The role the app connects as (also --app-role). */
  readonly appRole?: string;
  /** Latency budgets ({"p95": "500ms", "list": "300ms", "mean": "100ms"}; also --budget): over one, the scan fails. */
  readonly budget?: Readonly<Record<string, string>>;
  /** Also report objects a platform or a migration tool manages (auth, storage, _prisma_migrations…; also --include-platform). */
  readonly includePlatform?: boolean;
}

export const EMPTY_CONFIG: Config = { options: {}, ignore: [] };
