// Run as a child process by chain.spec.ts: a callback that throws must surface as an uncaught
// exception (not an unhandled rejection, not a second call).
import { startSandbox } from './sandbox';

void startSandbox().then(({ sandbox, wxpay }) => {
  process.on('exit', () => void sandbox.close());
  wxpay.v3.echo.get(() => {
    console.log('callback called');
    setTimeout(() => process.exit(0), 500).unref();
    throw new Error('thrown inside the callback');
  });
});
