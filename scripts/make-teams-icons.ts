/**
 * Writes manifests/teams/color.png and outline.png from scripts/teams-icons.ts. The PNGs are committed;
 * run this only after changing the drawing: `node --import tsx scripts/make-teams-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.ts';
import { drawColorIcon, drawOutlineIcon } from './teams-icons.ts';

const TEAMS_DIR = fileURLToPath(new URL('../manifests/teams/', import.meta.url));

writeFileSync(`${TEAMS_DIR}color.png`, encodePng(drawColorIcon()));
writeFileSync(`${TEAMS_DIR}outline.png`, encodePng(drawOutlineIcon()));
process.stdout.write(`wrote ${TEAMS_DIR}color.png and ${TEAMS_DIR}outline.png\n`);
