import { join } from 'node:path';
import { detectTool } from './detect.js';
import { toolFormat } from './index.js';
import type { MigrationTool, ToolName } from './tool.js';

export interface ChosenTool {
  readonly tool: MigrationTool;
  /** Where the files go: --out, else the tool's folder in the project. */
  readonly dir: string;
  /** One line saying which tool and why, when it was detected rather than given. */
  readonly note?: string;
}

/** --tool, or the tool the project directory shows (plain when none); --out, or that tool's folder. */
export async function chooseTool(toolFlag: ToolName | undefined, project: string, out: string | undefined): Promise<ChosenTool> {
  const detected = await detectTool(project);
  if (toolFlag !== undefined) {
    const name = toolFlag;
    const tool = toolFormat(name, detected.moduleStyle);
    return { tool, dir: out ?? join(project, name === detected.tool && detected.dir ? detected.dir : tool.defaultDir) };
  }
  const tool = toolFormat(detected.tool, detected.moduleStyle);
  const dir = out ?? join(project, detected.dir ?? tool.defaultDir);
  const also = detected.others.length > 0 ? ` (the project also looks like ${detected.others.join(', ')}: --tool chooses)` : '';
  const note = detected.tool === 'plain' ? `no migration tool found in ${project}: writing pgrescue's plain .up.sql/.down.sql files (--tool NAME for another layout)` : `writing ${detected.tool} migrations (found ${detected.because})${also}`;
  return { tool, dir, note };
}
