// `pnpm dev`: the API with restart on change and Vite with hot module replacement, side by side.
// Open http://localhost:5173 (Vite proxies /api to the API on :3000). Ctrl-C stops both.
import { spawn } from 'node:child_process';

const children = [
  ['api', ['--filter', '@sports/api', 'dev']],
  ['web', ['--filter', '@sports/web', 'dev']],
].map(([name, args]) => {
  const child = spawn('pnpm', args, { stdio: 'inherit', env: process.env });
  child.on('exit', (code) => {
    console.log(`${name} exited (${code ?? 'signal'}); stopping the other`);
    stopAll(code ?? 1);
  });
  return child;
});

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
