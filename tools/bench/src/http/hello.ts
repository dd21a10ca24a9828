// The HTTP ceiling's server: express 5 with the JSON body parser, answering a POST the way the
// order API answers a placement (202 + a small JSON body) but doing nothing else. Prints
// "listening <port>" once bound.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '100kb' }));
app.post('/hello', (req, res) => {
  res.status(202).json({ hello: 'world', received: Array.isArray((req.body as { items?: unknown }).items) });
});
app.get('/hello', (_req, res) => {
  res.json({ hello: 'world' });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
