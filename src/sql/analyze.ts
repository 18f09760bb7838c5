import { functionName, quoteIdent } from './quote.js';
import { fingerprint, parseTree } from './parser.js';
import type { ColumnAt, ColumnResolver, OperandKind, OrderKey, ParsedStatement, Predicate, StatementKind, StatementShape, TableRef } from './shape.js';

/* The parse tree is a tagged JSON tree ({ SelectStmt: {...} }); walk it loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AstNode = any;

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

  addTable(rangeVar: AstNode, scope: Scope, target: boolean): number | null {
    const name: string = rangeVar.relname;
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

function str(node: AstNode): string | undefined {
  return node?.String?.sval;
}

function columnFields(node: AstNode): string[] | null {
  const ref = node?.ColumnRef;
  if (!ref) return null;
  const fields: string[] = [];
  for (const f of ref.fields ?? []) {
    const s = str(f);
    if (s === undefined) return null; // A_Star
    fields.push(s);
  }
  return fields;
}

function unwrapCast(node: AstNode): AstNode {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  while (n?.CollateClause) n = n.CollateClause.arg;
  return n;
}

function funcName(call: AstNode): string {
  return (call.funcname ?? []).map(str).filter(Boolean).join('.');
}

/** A column, possibly wrapped in one function call (lower(email)) or a cast. */
function columnSide(node: AstNode): { fields: string[]; expression: string | null } | null {
  const n = unwrapCast(node);
  const direct = columnFields(n);
  if (direct) return { fields: direct, expression: null };
  const call = n?.FuncCall;
  if (call && (call.args ?? []).length >= 1) {
    const columns = (call.args as AstNode[]).map((a) => columnFields(unwrapCast(a)));
    const colIndex = columns.findIndex((c) => c !== null);
    const others = (call.args as AstNode[]).filter((_, i) => i !== colIndex);
    if (colIndex >= 0 && columns.filter(Boolean).length === 1 && others.every((o) => ['const', 'param'].includes(operandKind(o)))) {
      const fields = columns[colIndex]!;
      const parts = (call.funcname ?? []).map(str).filter(Boolean) as string[];
      const name = functionName(parts[0] === 'pg_catalog' ? parts.slice(1) : parts);
      return { fields, expression: `${name}(${quoteIdent(fields[fields.length - 1]!)})` };
    }
  }
  return null;
}

function operandKind(node: AstNode): OperandKind {
  const n = unwrapCast(node);
  if (!n) return 'expr';
  if (n.ParamRef) return 'param';
  if (n.A_Const) return n.A_Const.isnull ? 'null' : 'const';
  if (n.ColumnRef) return 'column';
  if (n.SubLink) return 'subquery';
  if (n.FuncCall) {
    const kinds = (n.FuncCall.args ?? []).map(operandKind);
    if (kinds.every((k: OperandKind) => k === 'param' || k === 'const')) return kinds.includes('param') ? 'param' : 'const';
    return 'expr';
  }
  if (n.A_ArrayExpr || n.List || Array.isArray(n)) {
    const items: AstNode[] = n.A_ArrayExpr?.elements ?? n.List?.items ?? n;
    const kinds = items.map(operandKind);
    if (kinds.every((k) => k === 'param' || k === 'const')) return 'list';
    return 'expr';
  }
  if (n.A_Expr) {
    const l = n.A_Expr.lexpr ? operandKind(n.A_Expr.lexpr) : 'const';
    const r = n.A_Expr.rexpr ? operandKind(n.A_Expr.rexpr) : 'const';
    if ((l === 'param' || l === 'const') && (r === 'param' || r === 'const')) return l === 'param' || r === 'param' ? 'param' : 'const';
  }
  return 'expr';
}

class Walker {
  constructor(private readonly b: ShapeBuilder) {}

  newScope(parent: Scope | null): Scope {
    return { parent, tableIds: [], ctes: new Set() };
  }

  withClause(withClause: AstNode, scope: Scope): void {
    for (const cte of withClause?.ctes ?? []) {
      const c = cte.CommonTableExpr;
      if (!c) continue;
      scope.ctes.add(c.ctename);
      this.b.ctes.push(c.ctename);
      this.statement(c.ctequery, scope);
    }
  }

  /** Walk any statement node (SelectStmt, UpdateStmt…) found inside a CTE or subquery. */
  statement(node: AstNode, parent: Scope | null): void {
    if (node?.SelectStmt) this.select(node.SelectStmt, parent);
    else if (node?.UpdateStmt) this.update(node.UpdateStmt, parent);
    else if (node?.DeleteStmt) this.delete(node.DeleteStmt, parent);
    else if (node?.InsertStmt) this.insert(node.InsertStmt, parent);
  }

  select(sel: AstNode, parent: Scope | null): Scope {
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

  fromItem(item: AstNode, scope: Scope): void {
    if (item.RangeVar) this.b.addTable(item.RangeVar, scope, false);
    else if (item.JoinExpr) {
      const j = item.JoinExpr;
      this.fromItem(j.larg, scope);
      this.fromItem(j.rarg, scope);
      if (j.quals) this.predicates(j.quals, scope, false, 'join');
    } else if (item.RangeSubselect) {
      // LATERAL subqueries may see earlier FROM items; plain ones only the outer scopes.
      this.statement(item.RangeSubselect.subquery, item.RangeSubselect.lateral ? scope : scope.parent);
    }
  }

  /** Find subqueries (scalar, EXISTS, IN) anywhere in an expression and walk them with this scope as parent. */
  subqueries(node: AstNode, scope: Scope): void {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) this.subqueries(n, scope);
      return;
    }
    if (node.SubLink) {
      this.statement(node.SubLink.subselect, scope);
      if (node.SubLink.testexpr) this.subqueries(node.SubLink.testexpr, scope);
      return;
    }
    for (const value of Object.values(node)) this.subqueries(value, scope);
  }

  predicates(expr: AstNode, scope: Scope, inOr: boolean, source: Predicate['source']): void {
    if (!expr) return;
    if (expr.BoolExpr) {
      const op = expr.BoolExpr.boolop;
      for (const arg of expr.BoolExpr.args ?? []) this.predicates(arg, scope, inOr || op !== 'AND_EXPR', source);
      return;
    }
    if (expr.NullTest) {
      const side = columnSide(expr.NullTest.arg);
      if (side) this.push(side, expr.NullTest.nulltesttype === 'IS_NULL' ? 'IS NULL' : 'IS NOT NULL', 'null', null, scope, inOr, source);
      return;
    }
    if (expr.SubLink) {
      const link = expr.SubLink;
      if (link.subLinkType === 'ANY_SUBLINK' && link.testexpr) {
        const side = columnSide(link.testexpr);
        if (side) this.push(side, 'IN', 'subquery', null, scope, inOr, source);
      }
      this.statement(link.subselect, scope);
      return;
    }
    if (expr.A_Expr) {
      this.comparison(expr.A_Expr, scope, inOr, source);
      return;
    }
    this.subqueries(expr, scope);
  }

  comparison(a: AstNode, scope: Scope, inOr: boolean, source: Predicate['source']): void {
    const opName = (a.name ?? []).map(str).join('');
    const left = columnSide(a.lexpr);
    const rightNode = a.rexpr;
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
      const kind = Array.isArray(rightNode) ? operandKind({ List: { items: rightNode } }) : operandKind(rightNode);
      this.push(left, op, kind, null, scope, inOr, source);
    } else if (right && a.kind === 'AEXPR_OP') {
      this.push(right, FLIP[op] ?? op, operandKind(a.lexpr), null, scope, inOr, source);
    }
    this.subqueries(a.lexpr, scope);
    this.subqueries(rightNode, scope);
  }

  private push(side: { fields: string[]; expression: string | null }, op: string, operand: OperandKind, other: ColumnAt | null, scope: Scope, inOr: boolean, source: Predicate['source']): void {
    const resolved = this.b.resolve(side.fields, scope);
    if (resolved) this.record(resolved.at, resolved.candidates, side.expression, op, operand, other, inOr, source);
  }

  private record(at: ColumnAt, candidates: number[], expression: string | null, op: string, operand: OperandKind, other: ColumnAt | null, inOr: boolean, source: Predicate['source']): void {
    this.b.predicates.push({ tableId: at.tableId, column: at.column, expression, op, operand, other, inOr, source, candidates });
  }

  update(u: AstNode, parent: Scope | null): void {
    const scope = this.newScope(parent);
    if (u.withClause) this.withClause(u.withClause, scope);
    this.b.addTable(u.relation, scope, true);
    for (const item of u.fromClause ?? []) this.fromItem(item, scope);
    for (const target of u.targetList ?? []) this.subqueries(target, scope);
    if (u.whereClause) this.predicates(u.whereClause, scope, false, 'where');
  }

  delete(d: AstNode, parent: Scope | null): void {
    const scope = this.newScope(parent);
    if (d.withClause) this.withClause(d.withClause, scope);
    this.b.addTable(d.relation, scope, true);
    for (const item of d.usingClause ?? []) this.fromItem(item, scope);
    if (d.whereClause) this.predicates(d.whereClause, scope, false, 'where');
  }

  insert(i: AstNode, parent: Scope | null): void {
    const scope = this.newScope(parent);
    if (i.withClause) this.withClause(i.withClause, scope);
    this.b.addTable(i.relation, scope, true);
    if (i.selectStmt?.SelectStmt && !i.selectStmt.SelectStmt.valuesLists) this.select(i.selectStmt.SelectStmt, parent);
    else if (i.selectStmt) this.subqueries(i.selectStmt, scope);
  }

  merge(m: AstNode, parent: Scope | null): void {
    const scope = this.newScope(parent);
    if (m.withClause) this.withClause(m.withClause, scope);
    this.b.addTable(m.relation, scope, true);
    if (m.sourceRelation) this.fromItem(m.sourceRelation, scope);
    if (m.joinCondition) this.predicates(m.joinCondition, scope, false, 'join');
  }
}

function hasAggregate(targetList: AstNode[]): boolean {
  const visit = (node: AstNode): boolean => {
    if (node === null || typeof node !== 'object') return false;
    if (Array.isArray(node)) return node.some(visit);
    if (node.SubLink) return false; // an aggregate inside a scalar subquery does not collapse the outer rows
    if (node.FuncCall) {
      const call = node.FuncCall;
      if (call.over) return false;
      if (call.agg_star || AGGREGATES.has(funcName(call).replace(/^pg_catalog\./, ''))) return true;
    }
    return Object.values(node).some(visit);
  };
  return visit(targetList);
}

function orderKeys(builder: ShapeBuilder, sortClause: AstNode[] | undefined, scope: Scope): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const item of sortClause ?? []) {
    const sortBy = item.SortBy;
    const fields = columnFields(unwrapCast(sortBy?.node));
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
  const root: AstNode = stmts[0]!.stmt;
  const builder = new ShapeBuilder(resolver);
  const walker = new Walker(builder);
  let kind: StatementKind = 'utility';
  let orderBy: OrderKey[] = [];
  let limit = false;
  let aggregate = false;
  let groupBy = false;
  if (root.SelectStmt) {
    kind = 'select';
    const sel = root.SelectStmt;
    const scope = walker.select(sel, null);
    orderBy = orderKeys(builder, sel.sortClause, scope);
    limit = Boolean(sel.limitCount);
    groupBy = (sel.groupClause ?? []).length > 0;
    aggregate = groupBy || hasAggregate(sel.targetList ?? []);
  } else if (root.UpdateStmt) {
    kind = 'update';
    walker.update(root.UpdateStmt, null);
  } else if (root.DeleteStmt) {
    kind = 'delete';
    walker.delete(root.DeleteStmt, null);
  } else if (root.InsertStmt) {
    kind = 'insert';
    walker.insert(root.InsertStmt, null);
  } else if (root.MergeStmt) {
    kind = 'merge';
    walker.merge(root.MergeStmt, null);
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
  };
  return { ok: true, shape, fingerprint: fp };
}
