// Vite empties dist/ on every build; the Go package embeds dist/ and needs the
// directory to exist in a fresh clone, so the committed .gitkeep is put back.
import { mkdirSync, writeFileSync } from 'node:fs';

mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/.gitkeep', import.meta.url), '');
