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
}

export const EMPTY_CONFIG: Config = { options: {}, ignore: [] };
