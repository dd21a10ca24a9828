// GET /openapi.json (the document) and GET /docs (Swagger UI, served from the swagger-ui-dist
// package's own files: no CDN, so the docs work offline and inside a locked-down cluster).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument, type OpenApiOptions } from './document';

// Resolved rather than imported: the package's entry point evaluates the whole 1.5 MB browser
// bundle in Node just to export the directory name.
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Order Platform API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/swagger-ui-standalone-preset.js"></script>
    <script src="/docs/swagger-initializer.js"></script>
  </body>
</html>
`;

// Replaces the package's initializer, which points at the public Petstore example.
const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

export function openApiRoutes(options: OpenApiOptions = {}): Router {
  const router = Router();
  let document: string | undefined;

  router.get('/openapi.json', (_req, res) => {
    // Built on first request: it never changes while the process runs.
    document ??= JSON.stringify(buildOpenApiDocument(options));
    res.type('application/json').setHeader('cache-control', 'public, max-age=300');
    res.send(document);
  });
  router.get(['/docs', '/docs/index.html'], (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  router.get('/docs/swagger-initializer.js', (_req, res) => {
    res.type('text/javascript').send(INITIALIZER);
  });
  router.use('/docs', express.static(swaggerUiDir, { index: false, maxAge: '1d', fallthrough: true }));
  return router;
}
