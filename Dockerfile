# Mirrors .ci/run: Node 22, native addons built from source, `npm ci` from the lockfile.
FROM node:22-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The Node version check runs as npm's preinstall and is imported first by server/main.ts.
COPY bin/requireNode.cjs ./bin/
RUN npm ci --no-audit --no-fund
COPY server ./server
COPY connectors ./connectors
COPY client ./client
COPY tsconfig.json ./
RUN npm run build:client && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DOCBRIDGE_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node_modules/.bin/tsx", "server/main.ts"]
