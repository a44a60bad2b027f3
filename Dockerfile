# Rahnama: build the TypeScript, then run it as a non-root user with only production dependencies.
# Not built on our CI machines (no Docker engine there); see README "Docker". Plain Dockerfile syntax
# (no `# syntax=` line): nothing here needs a BuildKit front end pulled from Docker Hub, though the
# secret mount below needs BuildKit itself (DOCKER_BUILDKIT=1 before Docker 23).

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=1
COPY package.json package-lock.json ./
# Behind a TLS-intercepting proxy, pass its CA as a build secret (never stored in a layer):
#   docker build --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt .
RUN --mount=type=secret,id=ca,required=false \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY intents ./intents
COPY channels ./channels
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# tini as PID 1 (ENTRYPOINT below): as PID 1, node would get no default action for a signal it has no
# handler for yet (a `docker stop` during start-up would wait 10 s, then kill) and would have to reap
# orphaned processes (Chromium's helpers) itself. tini forwards signals and reaps.
# WhatsApp Web (unofficial channel) drives a real browser; build with --build-arg WITH_CHROMIUM=true
# to include Debian's Chromium (about 300 MB). The other channels do not need it.
ARG WITH_CHROMIUM=false
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && if [ "$WITH_CHROMIUM" = "true" ]; then apt-get install -y --no-install-recommends chromium; fi \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    LANCEDB_LOG=error \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000 \
    CHROMIUM_PATH=/usr/bin/chromium
WORKDIR /app
RUN groupadd --system rahnama \
 && useradd --system --gid rahnama --home-dir /app --shell /usr/sbin/nologin rahnama \
 && mkdir -p /data \
 && chown rahnama:rahnama /data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Data an MRC edits (leaflets, directory, intent texts), the widget's and the console's static files.
COPY knowledge ./knowledge
COPY intents ./intents
COPY channels/webchat/public ./channels/webchat/public
COPY channels/webchat/official/public ./channels/webchat/official/public
COPY src/console/public ./src/console/public
USER rahnama
VOLUME ["/data"]
EXPOSE 3000
# Healthy means ready to answer: /readyz is 200 once the knowledge index is loaded and the store (Redis)
# takes commands, 503 otherwise, so a container that lost its Redis is unhealthy. The start period covers
# the first start, which builds the index. Node's own fetch: the image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
