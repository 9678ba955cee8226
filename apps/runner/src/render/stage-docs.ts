import { paramsJsonSchema, type AnyStageDefinition } from '@stagegraph/pipeline';

/** One stage as `stagegraph stages` shows it, in whichever format: the fields every format reads. */
export interface StageDoc {
  type: string;
  version: number;
  description: string;
  inputs: PortDoc[];
  outputs: PortDoc[];
  params: ParamDoc[];
}
export interface PortDoc {
  name: string;
  contract: string;
  optional: boolean;
  description?: string;
}
export interface ParamDoc {
  name: string;
  type: string;
  default?: unknown;
  description?: string;
}

type Ports = Record<string, { kind: string; contract?: { name: string }; optional?: boolean; description?: string }>;
const portDocs = (ports: Ports): PortDoc[] =>
  Object.entries(ports).map(([name, p]) => ({
    name,
    contract: p.contract?.name ?? p.kind,
    optional: p.optional === true,
    description: p.description,
  }));

export function stageDoc(stage: AnyStageDefinition): StageDoc {
  const schema = paramsJsonSchema(stage) as {
    properties?: Record<string, { default?: unknown; description?: string; type?: string; enum?: unknown[] }>;
  };
  const params = Object.entries(schema.properties ?? {}).map(([name, param]) => ({
    name,
    type: param.enum ? param.enum.map((v) => JSON.stringify(v)).join('|') : (param.type ?? 'any'),
    default: param.default,
    description: param.description,
  }));
  return {
    type: stage.type,
    version: stage.version,
    description: stage.description,
    inputs: [
      ...portDocs(stage.inputs),
      ...(stage.namedInputs
        ? portDocs({ '<name>': stage.namedInputs }).map((p) => ({
            ...p,
            description: `any number${stage.namedInputs!.min ? `, at least ${stage.namedInputs!.min}` : ''}, named in the config`,
          }))
        : []),
    ],
    outputs: portDocs(stage.outputs),
    params,
  };
}

const portList = (ports: PortDoc[]) =>
  ports.map((p) => `${p.name}: ${p.contract}${p.optional ? '?' : ''}`).join(', ') || '-';

export function stagesAsText(stages: readonly AnyStageDefinition[]): string {
  return stages
    .map(stageDoc)
    .map((s) => {
      const lines = [
        `${s.type} (v${s.version})`,
        `  ${s.description}`,
        `  inputs:  ${portList(s.inputs)}`,
        `  outputs: ${portList(s.outputs)}`,
      ];
      if (s.params.length) lines.push('  params:');
      for (const p of s.params)
        lines.push(
          `    ${p.name}: ${p.type}${p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : ''}${p.description ? `  (${p.description})` : ''}`,
        );
      return lines.join('\n') + '\n';
    })
    .join('');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown for a package README: one section per stage, ports and params as tables. */
export function stagesAsMarkdown(stages: readonly AnyStageDefinition[]): string {
  return stages
    .map(stageDoc)
    .map((s) => {
      const out = [
        `### \`${s.type}\` (v${s.version})`,
        '',
        s.description,
        '',
        '| port | direction | contract |',
        '| --- | --- | --- |',
      ];
      for (const [direction, ports] of [
        ['in', s.inputs],
        ['out', s.outputs],
      ] as const)
        for (const p of ports)
          out.push(
            `| \`${p.name}\`${p.optional ? ' (optional)' : ''} | ${direction} | ${cell(p.contract)}${p.description ? `: ${cell(p.description)}` : ''} |`,
          );
      if (s.params.length) {
        out.push('', '| param | type | default | description |', '| --- | --- | --- | --- |');
        for (const p of s.params)
          out.push(
            `| \`${p.name}\` | ${cell(p.type)} | ${p.default === undefined ? '' : `\`${cell(JSON.stringify(p.default))}\``} | ${cell(p.description ?? '')} |`,
          );
      } else out.push('', 'No params.');
      return out.join('\n') + '\n';
    })
    .join('\n');
}
