// The repository root, so every file the model reads is named relative to it in the output
// (the generated document must not depend on where the checkout lives).
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
