import { treeFingerprint } from './fingerprint.js';
import type { A_Expr, DeleteStmt, FuncCall, InsertStmt, MergeStmt, Node, RangeVar, SelectStmt, UpdateStmt, WithClause } from '@pgsql/types';
import { functionName, quoteIdent } from './quote.js';
import { fingerprint, parseTree } from './parser.js';
import type { ColumnAt, ColumnResolver, OperandKind, OrderKey, ParsedStatement, Predicate, StatementKind, StatementShape, TableRef } from './shape.js';

/** A node kind of libpg-query's tagged JSON tree ({ SelectStmt: {...} }). */
type Tag = Node extends infer N ? (N extends Record<infer K, unknown> ? K & string : never) : never;
type Inner<K extends Tag> = Extract<Node, Record<K, unknown>>[K];

/** The node's content when it is of kind `tag` (`node(n, 'FuncCall')` is n.FuncCall), else undefined. */
function node<K extends Tag>(n: unknown, tag: K): Inner<K> | undefined {
  return n !== null && typeof n === 'object' && !Array.isArray(n) && tag in n ? (n as Record<K, Inner<K>>)[tag] : undefined;
}

const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'array_agg', 'json_agg', 'jsonb_agg', 'string_agg', 'bool_and', 'bool_or', 'every', 'json_object_agg', 'jsonb_object_agg']);
const FLIP: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '<>': '<>', '!=': '<>' };

interface Scope {
  readonly parent: Scope | null;
  readonly tableIds: number[];
  readonly ctes: Set<string>;
}

class ShapeBuilder {
  readonly tables: TableRef[] = [];
  readonly predicates: Predicate[] = [];
  readonly ctes: string[] = [];

  constructor(private readonly resolver: ColumnResolver | undefined) {}

  addTable(rangeVar: RangeVar | undefined, scope: Scope, target: boolean): number | null {
    if (!rangeVar?.relname) return null;
    const name = rangeVar.relname;
    const schema: string | null = rangeVar.schemaname ?? null;
    if (!schema && this.isCte(name, scope)) return null;
    const id = this.tables.length;
    this.tables.push({ id, schema, name, alias: rangeVar.alias?.aliasname ?? null, target });
    scope.tableIds.push(id);
    return id;
  }

  private isCte(name: string, scope: Scope | null): boolean {
    for (let s = scope; s; s = s.parent) if (s.ctes.has(name)) return true;
    return false;
  }

  /** Resolve a column reference to a table in scope: by alias or name, else the only table, else the catalog. */
  resolve(fields: string[], scope: Scope): { at: ColumnAt; candidates: number[] } | null {
    const column = fields[fields.length - 1];
    if (column === undefined) return null;
    if (fields.length >= 2) {
      const qualifier = fields[fields.length - 2];
      const schema = fields.length >= 3 ? fields[fields.length - 3] : null;
      for (let s: Scope | null = scope; s; s = s.parent) {
        for (const id of s.tableIds) {
          const t = this.tables[id]!;
          const matches = t.alias ? t.alias === qualifier : t.name === qualifier && (!schema || !t.schema || t.schema === schema);
          if (matches) return { at: { tableId: id, column }, candidates: [id] };
        }
      }
      return null; // a CTE or subquery alias: not a base table column
    }
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.tableIds.length === 0) continue;
      if (s.tableIds.length === 1) return { at: { tableId: s.tableIds[0]!, column }, candidates: [...s.tableIds] };
      if (this.resolver) {
        const owners = s.tableIds.filter((id) => this.resolver!(this.tables[id]!.schema, this.tables[id]!.name, column));
        if (owners.length === 1) return { at: { tableId: owners[0]!, column }, candidates: [...s.tableIds] };
        if (owners.length === 0) continue;
      }
      return { at: { tableId: null, column }, candidates: [...s.tableIds] };
    }
    return null;
  }
}

function str(n: Node | undefined): string | undefined {
  return node(n, 'String')?.sval;
}

function columnFields(n: Node | undefined): string[] | null {
  const ref = node(n, 'ColumnRef');
  if (!ref) return null;
  const fields: string[] = [];
  for (const f of ref.fields ?? []) {
    const s = str(f);
    if (s === undefined) return null; // A_Star
    fields.push(s);
  }
  return fields;
}

function unwrapCast(expr: Node | undefined): Node | undefined {
  let n = expr;
  for (let cast = node(n, 'TypeCast'); cast; cast = node(n, 'TypeCast')) n = cast.arg;
  for (let collate = node(n, 'CollateClause'); collate; collate = node(n, 'CollateClause')) n = collate.arg;
  return n;
}

function funcName(call: FuncCall): string {
  return (call.funcname ?? []).map(str).filter(Boolean).join('.');
}

/** A column, possibly wrapped in one function call (lower(email)) or a cast. */
function columnSide(expr: Node | undefined): { fields: string[]; expression: string | null } | null {
  const n = unwrapCast(expr);
  const direct = columnFields(n);
  if (direct) return { fields: direct, expression: null };
  const call = node(n, 'FuncCall');
  if (call && (call.args ?? []).length >= 1) {
    const args = call.args ?? [];
    const columns = args.map((a) => columnFields(unwrapCast(a)));
    const colIndex = columns.findIndex((c) => c !== null);
    const others = args.filter((_, i) => i !== colIndex);
    if (colIndex >= 0 && columns.filter(Boolean).length === 1 && others.every((o) => ['const', 'param'].includes(operandKind(o)))) {
      const fields = columns[colIndex]!;
      const parts = (call.funcname ?? []).map(str).filter(Boolean) as string[];
      const name = functionName(parts[0] === 'pg_catalog' ? parts.slice(1) : parts);
      return { fields, expression: `${name}(${quoteIdent(fields[fields.length - 1]!)})` };
    }
  }
  return null;
}

/** The number of a bare parameter ($3), also under casts or inside one function call (lower($1)). */
function paramNumber(expr: Node | undefined): number | null {
  let n = unwrapCast(expr);
  const call = node(n, 'FuncCall');
  if (call && (call.args ?? []).length === 1) n = unwrapCast(call.args![0]);
  const ref = node(n, 'ParamRef');
  return ref?.number ?? null;
}

function operandKind(expr: Node | readonly Node[] | undefined): OperandKind {
  const items = Array.isArray(expr) ? expr : undefined;
  const n = items ? undefined : unwrapCast(expr as Node | undefined);
  if (!n && !items) return 'expr';
  if (node(n, 'ParamRef')) return 'param';
  const constant = node(n, 'A_Const');
  if (constant) return constant.isnull ? 'null' : 'const';
  if (node(n, 'ColumnRef')) return 'column';
  if (node(n, 'SubLink')) return 'subquery';
  const call = node(n, 'FuncCall');
  if (call) {
    const kinds = (call.args ?? []).map((a) => operandKind(a));
    if (kinds.every((k) => k === 'param' || k === 'const')) return kinds.includes('param') ? 'param' : 'const';
    return 'expr';
  }
  const list = items ?? node(n, 'A_ArrayExpr')?.elements ?? node(n, 'List')?.items;
  if (list) {
    const kinds = list.map((i) => operandKind(i));
    if (kinds.every((k) => k === 'param' || k === 'const')) return 'list';
    return 'expr';
  }
  const a = node(n, 'A_Expr');
  if (a) {
    const l = a.lexpr ? operandKind(a.lexpr) : 'const';
    const r = a.rexpr ? operandKind(a.rexpr) : 'const';
    if ((l === 'param' || l === 'const') && (r === 'param' || r === 'const')) return l === 'param' || r === 'param' ? 'param' : 'const';
  }
  return 'expr';
}

class Walker {
  constructor(private readonly b: ShapeBuilder) {}

  newScope(parent: Scope | null): Scope {
    return { parent, tableIds: [], ctes: new Set() };
  }

  withClause(withClause: WithClause | undefined, scope: Scope): void {
    for (const cte of withClause?.ctes ?? []) {
      const c = node(cte, 'CommonTableExpr');
      if (!c?.ctename) continue;
      scope.ctes.add(c.ctename);
      this.b.ctes.push(c.ctename);
      this.statement(c.ctequery, scope);
    }
  }

  /** Walk any statement node (SelectStmt, UpdateStmt…) found inside a CTE or subquery. */
  statement(n: Node | undefined, parent: Scope | null): void {
    const select = node(n, 'SelectStmt');
    const update = node(n, 'UpdateStmt');
    const del = node(n, 'DeleteStmt');
    const insert = node(n, 'InsertStmt');
    if (select) this.select(select, parent);
    else if (update) this.update(update, parent);
    else if (del) this.delete(del, parent);
    else if (insert) this.insert(insert, parent);
  }

  select(sel: SelectStmt, parent: Scope | null): Scope {
    const scope = this.newScope(parent);
    if (sel.withClause) this.withClause(sel.withClause, scope);
    if (sel.op && sel.op !== 'SETOP_NONE') {
      if (sel.larg) this.select(sel.larg, scope);
      if (sel.rarg) this.select(sel.rarg, scope);
      return scope;
    }
    for (const item of sel.fromClause ?? []) this.fromItem(item, scope);
    for (const target of sel.targetList ?? []) this.subqueries(target, scope);
    if (sel.whereClause) this.predicates(sel.whereClause, scope, false, 'where');
    if (sel.havingClause) this.predicates(sel.havingClause, scope, false, 'having');
    return scope;
  }

  fromItem(item: Node | undefined, scope: Scope): void {
    const range = node(item, 'RangeVar');
    const join = node(item, 'JoinExpr');
    const sub = node(item, 'RangeSubselect');
    if (range) this.b.addTable(range, scope, false);
    else if (join) {
      this.fromItem(join.larg, scope);
      this.fromItem(join.rarg, scope);
      if (join.quals) this.predicates(join.quals, scope, false, 'join');
    } else if (sub) {
      // LATERAL subqueries may see earlier FROM items; plain ones only the outer scopes.
      this.statement(sub.subquery, sub.lateral ? scope : scope.parent);
    }
  }

  /** Find subqueries (scalar, EXISTS, IN) anywhere in an expression and walk them with this scope as parent. */
  /** Any part of the tree (a node, a list, a field of one): its subqueries are walked, the rest searched. */
  subqueries(tree: unknown, scope: Scope): void {
    if (tree === null || typeof tree !== 'object') return;
    if (Array.isArray(tree)) {
      for (const n of tree) this.subqueries(n, scope);
      return;
    }
    const link = node(tree, 'SubLink');
    if (link) {
      this.statement(link.subselect, scope);
      if (link.testexpr) this.subqueries(link.testexpr, scope);
      return;
    }
    for (const value of Object.values(tree)) this.subqueries(value, scope);
  }

  predicates(expr: Node | undefined, scope: Scope, inOr: boolean, source: Predicate['source']): void {
    if (!expr) return;
    const bool = node(expr, 'BoolExpr');
    if (bool) {
      for (const arg of bool.args ?? []) this.predicates(arg, scope, inOr || bool.boolop !== 'AND_EXPR', source);
      return;
    }
    const nullTest = node(expr, 'NullTest');
    if (nullTest) {
      const side = columnSide(nullTest.arg);
      if (side) this.push(side, nullTest.nulltesttype === 'IS_NULL' ? 'IS NULL' : 'IS NOT NULL', 'null', null, scope, inOr, source);
      return;
    }
    const link = node(expr, 'SubLink');
    if (link) {
      if (link.subLinkType === 'ANY_SUBLINK' && link.testexpr) {
        const side = columnSide(link.testexpr);
        if (side) this.push(side, 'IN', 'subquery', null, scope, inOr, source);
      }
      this.statement(link.subselect, scope);
      return;
    }
    const a = node(expr, 'A_Expr');
    if (a) {
      this.comparison(a, scope, inOr, source);
      return;
    }
    this.subqueries(expr, scope);
  }

  comparison(a: A_Expr, scope: Scope, inOr: boolean, source: Predicate['source']): void {
    const opName = (a.name ?? []).map(str).join('');
    const left = columnSide(a.lexpr);
    // An IN list may come as a bare array of nodes rather than a List node.
    const rightNode = a.rexpr as Node | Node[] | undefined;
    const right = Array.isArray(rightNode) ? null : columnSide(rightNode);
    let op: string;
    switch (a.kind) {
      case 'AEXPR_OP_ANY':
        op = opName === '=' ? 'ANY' : `${opName} ANY`;
        break;
      case 'AEXPR_OP_ALL':
        op = `${opName} ALL`;
        break;
      case 'AEXPR_IN':
        op = opName === '<>' ? 'NOT IN' : 'IN';
        break;
      case 'AEXPR_LIKE':
        op = opName === '!~~' ? 'NOT LIKE' : 'LIKE';
        break;
      case 'AEXPR_ILIKE':
        op = opName === '!~~*' ? 'NOT ILIKE' : 'ILIKE';
        break;
      case 'AEXPR_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
        op = 'BETWEEN';
        break;
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_NOT_BETWEEN_SYM':
        op = 'NOT BETWEEN';
        break;
      case 'AEXPR_DISTINCT':
        op = 'IS DISTINCT FROM';
        break;
      case 'AEXPR_NOT_DISTINCT':
        op = 'IS NOT DISTINCT FROM';
        break;
      default:
        op = opName === '!=' ? '<>' : opName;
    }
    if (left && right && a.kind === 'AEXPR_OP') {
      const l = this.b.resolve(left.fields, scope);
      const r = this.b.resolve(right.fields, scope);
      if (l) this.record(l.at, l.candidates, left.expression, op, 'column', r?.at ?? null, inOr, source);
      if (r) this.record(r.at, r.candidates, right.expression, FLIP[op] ?? op, 'column', l?.at ?? null, inOr, source);
      return;
    }
    if (left) {
      const kind = operandKind(rightNode);
      // An IN list comes as a bare array of nodes or as a List node: its parameter counts only when it is alone.
      const single = Array.isArray(rightNode) ? undefined : rightNode;
      const items = Array.isArray(rightNode) ? rightNode : node(single, 'List')?.items;
      this.push(left, op, kind, null, scope, inOr, source, items ? paramNumber(items.length === 1 ? items[0] : undefined) : paramNumber(single));
    } else if (right && a.kind === 'AEXPR_OP') {
      this.push(right, FLIP[op] ?? op, operandKind(a.lexpr), null, scope, inOr, source, paramNumber(a.lexpr));
    }
    this.subqueries(a.lexpr, scope);
    this.subqueries(rightNode, scope);
  }

  private push(side: { fields: string[]; expression: string | null }, op: string, operand: OperandKind, other: ColumnAt | null, scope: Scope, inOr: boolean, source: Predicate['source'], param: number | null = null): void {
    const resolved = this.b.resolve(side.fields, scope);
    if (resolved) this.record(resolved.at, resolved.candidates, side.expression, op, operand, other, inOr, source, param);
  }

  private record(at: ColumnAt, candidates: number[], expression: string | null, op: string, operand: OperandKind, other: ColumnAt | null, inOr: boolean, source: Predicate['source'], param: number | null = null): void {
    this.b.predicates.push({ tableId: at.tableId, column: at.column, expression, op, operand, other, inOr, source, candidates, ...(param !== null ? { param } : {}) });
  }

  update(u: UpdateStmt, parent: Scope | null): void {
    const scope = this.newScope(parent);
    if (u.withClause) this.withClause(u.withClause, scope);
    this.b.addTable(u.relation, scope, true);
    for (const item of u.fromClause ?? []) this.fromItem(item, scope);
    for (const target of u.targetList ?? []) this.subqueries(target, scope);
    if (u.whereClause) this.predicates(u.whereClause, scope, false, 'where');
  }

  delete(d: DeleteStmt, parent: Scope | null): void {
    const scope = this.newScope(parent);
    if (d.withClause) this.withClause(d.withClause, scope);
    this.b.addTable(d.relation, scope, true);
    for (const item of d.usingClause ?? []) this.fromItem(item, scope);
    if (d.whereClause) this.predicates(d.whereClause, scope, false, 'where');
  }

  insert(i: InsertStmt, parent: Scope | null): void {
    const scope = this.newScope(parent);
    if (i.withClause) this.withClause(i.withClause, scope);
    this.b.addTable(i.relation, scope, true);
    const select = node(i.selectStmt, 'SelectStmt');
    if (select && !select.valuesLists) this.select(select, parent);
    else if (i.selectStmt) this.subqueries(i.selectStmt, scope);
  }

  merge(m: MergeStmt, parent: Scope | null): void {
    const scope = this.newScope(parent);
    if (m.withClause) this.withClause(m.withClause, scope);
    this.b.addTable(m.relation, scope, true);
    if (m.sourceRelation) this.fromItem(m.sourceRelation, scope);
    if (m.joinCondition) this.predicates(m.joinCondition, scope, false, 'join');
  }
}

function hasAggregate(targetList: readonly Node[]): boolean {
  const visit = (tree: unknown): boolean => {
    if (tree === null || typeof tree !== 'object') return false;
    if (Array.isArray(tree)) return tree.some(visit);
    if (node(tree, 'SubLink')) return false; // an aggregate inside a scalar subquery does not collapse the outer rows
    const call = node(tree, 'FuncCall');
    if (call) {
      if (call.over) return false;
      if (call.agg_star || AGGREGATES.has(funcName(call).replace(/^pg_catalog\./, ''))) return true;
    }
    return Object.values(tree).some(visit);
  };
  return visit(targetList);
}

function orderKeys(builder: ShapeBuilder, sortClause: readonly Node[] | undefined, scope: Scope, targetList: readonly Node[] = []): OrderKey[] {
  const keys: OrderKey[] = [];
  // ORDER BY a bare name means the output column of that name first (SQL's rule), then a table column.
  const outputs = new Map<string, Node | undefined>();
  for (const t of targetList) {
    const target = node(t, 'ResTarget');
    if (target?.name) outputs.set(target.name, target.val);
  }
  for (const item of sortClause ?? []) {
    const sortBy = node(item, 'SortBy');
    if (!sortBy) break;
    let fields = columnFields(unwrapCast(sortBy.node));
    if (fields?.length === 1 && outputs.has(fields[0]!)) fields = columnFields(unwrapCast(outputs.get(fields[0]!)));
    if (!fields) break; // an expression key ends the usable prefix
    const resolved = builder.resolve(fields, scope);
    if (!resolved) break;
    keys.push({ ...resolved.at, desc: sortBy.sortby_dir === 'SORTBY_DESC' });
  }
  return keys;
}

/** Parse one normalized statement and extract its shape. Never throws: failures are reported as data. */
export function analyzeStatement(sql: string, resolver?: ColumnResolver): ParsedStatement {
  let tree;
  try {
    tree = parseTree(sql);
  } catch (error) {
    return { ok: false, reason: 'parse-error', message: (error as Error).message };
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length === 0) return { ok: false, reason: 'empty', message: 'no statement' };
  if (stmts.length > 1) return { ok: false, reason: 'multiple', message: `${stmts.length} statements in one entry` };
  const root = stmts[0]!.stmt;
  const select = node(root, 'SelectStmt');
  const update = node(root, 'UpdateStmt');
  const del = node(root, 'DeleteStmt');
  const insert = node(root, 'InsertStmt');
  const merge = node(root, 'MergeStmt');
  const builder = new ShapeBuilder(resolver);
  const walker = new Walker(builder);
  let kind: StatementKind = 'utility';
  let orderBy: OrderKey[] = [];
  let limit = false;
  let aggregate = false;
  let groupBy = false;
  let insertFromQuery = false;
  if (select) {
    kind = 'select';
    const sel = select;
    const scope = walker.select(sel, null);
    orderBy = orderKeys(builder, sel.sortClause, scope, sel.targetList ?? []);
    limit = Boolean(sel.limitCount);
    groupBy = (sel.groupClause ?? []).length > 0;
    aggregate = groupBy || hasAggregate(sel.targetList ?? []);
  } else if (update) {
    kind = 'update';
    walker.update(update, null);
  } else if (del) {
    kind = 'delete';
    walker.delete(del, null);
  } else if (insert) {
    kind = 'insert';
    walker.insert(insert, null);
    const source = node(insert.selectStmt, 'SelectStmt');
    insertFromQuery = source !== undefined && (source.valuesLists ?? []).length === 0;
  } else if (merge) {
    kind = 'merge';
    walker.merge(merge, null);
  }
  let fp = '';
  try {
    fp = fingerprint(sql);
  } catch {
    fp = '';
  }
  const shape: StatementShape = {
    kind,
    tables: builder.tables,
    predicates: builder.predicates,
    orderBy,
    limit,
    aggregate,
    groupBy,
    ctes: builder.ctes,
    ...(insertFromQuery ? { insertFromQuery } : {}),
  };
  return { ok: true, shape, fingerprint: fp, identity: treeFingerprint(tree.stmts ?? []) };
}
