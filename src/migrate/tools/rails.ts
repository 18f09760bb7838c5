import { separateStatements, sqlOf, withoutTransactionControl } from '../step-sql.js';
import type { Direction } from '../step-sql.js';
import { assertNoMarker, existingByPattern } from './tool.js';
import type { MigrationTool, StepToRender } from './tool.js';

/** Rails finds a migration's class by camelizing the file name after the version. */
export function railsClassName(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

const TERMINATOR = 'PGRESCUE_SQL';
const TERMINATOR_LINE = new RegExp(`^\\s*${TERMINATOR}\\s*$`, 'm');

/** A squiggly heredoc with a quoted terminator: Ruby interpolates nothing inside it. */
function heredoc(sql: string, indent: string): string {
  const body = assertNoMarker(sql, TERMINATOR_LINE, 'rails').trimEnd().split('\n').map((l) => `${indent}  ${l}`).join('\n');
  return `execute <<~'${TERMINATOR}'\n${body}\n${indent}${TERMINATOR}`;
}

function direction(step: StepToRender, which: Direction): string {
  const m = step.planned.migration;
  const sql = sqlOf(m, which);
  // In a transaction the statements can go as one text; outside one each goes alone (several would be an implicit transaction).
  const parts = m.transactional ? [withoutTransactionControl(sql)] : separateStatements(sql);
  return `  def ${which}\n${parts.map((p) => `    ${heredoc(p, '    ')}`).join('\n')}\n  end`;
}

/** Rails: db/migrate/<timestamp>_name.rb, execute <<~SQL in up and down; disable_ddl_transaction! for CONCURRENTLY. */
export const rails: MigrationTool = {
  name: 'rails',
  defaultDir: 'db/migrate',
  versions: 'timestamp',
  prefixed: true,
  existing: (files) => existingByPattern(files, /^(\d+)_(.+)\.rb$/),
  render(step) {
    const m = step.planned.migration;
    const tx = m.transactional ? 'transaction: Rails runs this migration in one transaction' : 'transaction: NONE (disable_ddl_transaction!): CONCURRENTLY, or a block that commits per batch, cannot run in a transaction';
    const header = step
      .header('both', `-- ${tx}`)
      .trimEnd()
      .split('\n')
      .map((line) => `# ${line.replace(/^-- ?/, '')}`)
      .join('\n');
    const lines = [
      header,
      `class ${railsClassName(step.name)} < ActiveRecord::Migration[7.0]`,
      ...(m.transactional ? [] : ['  disable_ddl_transaction!', '']),
      direction(step, 'up'),
      '',
      direction(step, 'down'),
      'end',
      '',
    ];
    return [{ path: `${step.version}_${step.name}.rb`, content: lines.join('\n') }];
  },
  howToRun: () => 'bin/rails db:migrate (bin/rails db:rollback undoes the last one)',
};
