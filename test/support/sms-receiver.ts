import http from 'node:http';

/** A local stand-in for an SMS provider's messages endpoint: records what Haven sends. */
export async function startSmsReceiver() {
  const received: { path: string; to: string; from: string; body: string; twiml: string; authorization: string | undefined }[] = [];
  const server = http.createServer((request, response) => {
    let data = '';
    request.on('data', (chunk) => {
      data += chunk;
    });
    request.on('end', () => {
      const form = new URLSearchParams(data);
      received.push({
        path: request.url ?? '',
        to: form.get('To') ?? '',
        from: form.get('From') ?? '',
        body: form.get('Body') ?? '',
        twiml: form.get('Twiml') ?? '',
        authorization: request.headers.authorization,
      });
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"status":"queued"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/Messages`,
    voiceUrl: `http://127.0.0.1:${port}/Calls`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
