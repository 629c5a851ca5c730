# syntax=docker/dockerfile:1

# Build: the full toolchain compiles TypeScript to dist/.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# Production dependencies only, in their own stage so the runtime image never sees the toolchain.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-slim AS runtime
# A container is reached through its network interface, so the service listens on all of them.
# Authentication is not baked in: the image refuses to start until the deployment sets
# AUTH_ISSUER (with its key settings) or AUTH_API_KEYS, or opts out by name with
# ALLOW_UNAUTHENTICATED=true (only behind a port published on loopback, as docker-compose.yml does).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    ALLOW_UNAUTHENTICATED=false \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
# package.json stays: the service finds its root (and fhir-mappings/) by walking up to it.
COPY --chown=root:root package.json ./
COPY --chown=root:root --from=deps /app/node_modules ./node_modules
COPY --chown=root:root --from=build /app/dist ./dist
COPY --chown=root:root fhir-mappings ./fhir-mappings
# The code is root-owned and read-only to the service; only /data (embedded PGlite, when no
# DATABASE_URL is set) is writable, so the container also runs with a read-only root filesystem.
# npm and corepack are not needed at run time: removing them drops their dependency tree (and
# its advisories) from the image.
RUN mkdir -p /data && chown node:node /data \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
VOLUME ["/data"]
USER node
EXPOSE 8080
# slim has no curl: node's own fetch asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly, not npm start: no build at start-up, and SIGTERM reaches the server for a graceful close.
# SIGTERM: stop accepting, finish in-flight requests within SHUTDOWN_TIMEOUT_MS, close the store.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/server.js"]
