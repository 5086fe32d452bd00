// Writes spectralnotify-client-<v>.tgz and spectralnotify-react-<v>.tgz into artifacts/.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(`${root}/artifacts`, { recursive: true });
for (const workspace of ['packages/client', 'packages/react']) {
  const out = execFileSync('npm', ['pack', '--pack-destination', `${root}/artifacts`, '--workspace', workspace], { cwd: root, encoding: 'utf8' });
  console.log(out.trim().split('\n').pop());
}
