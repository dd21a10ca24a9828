// The checkout's root, the one definition every tool and test resolves paths against (the stack,
// the bench, the audit, the capacity model, the chart tests), so none counts `../` on its own.
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
