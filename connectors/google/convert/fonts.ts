/** Which Google font families count as monospace: text in them is the schema's `code` mark. */
const MONOSPACE = new Set([
  'courier new',
  'courier',
  'consolas',
  'roboto mono',
  'source code pro',
  'inconsolata',
  'ubuntu mono',
  'fira code',
  'fira mono',
  'jetbrains mono',
  'space mono',
  'ibm plex mono',
  'noto sans mono',
  'cousine',
  'anonymous pro',
  'monaco',
  'menlo',
  'pt mono',
  'overpass mono',
  'oxygen mono',
  'cutive mono',
  'nanum gothic coding',
  'share tech mono',
  'major mono display',
  'b612 mono',
  'red hat mono',
  'dm mono',
  'martian mono',
]);

/** The font family Docbridge writes for the code mark and code blocks. */
export const CODE_FONT = 'Courier New';

/** True when the family is a known monospace font. */
export function isMonospace(family: string | null | undefined): boolean {
  return family ? MONOSPACE.has(family.trim().toLowerCase()) : false;
}
