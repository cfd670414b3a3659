# The Docbridge image. Its install steps are image/install.sh, shared with the image CI builds from a Debian
# root file system (image/build.sh passes BASE); users build it on the public Node image as it stands.
ARG BASE=node:22-bookworm-slim

FROM ${BASE} AS build
# A build machine behind a TLS-inspecting proxy names its CA bundle here (image/build.sh passes the host's);
# unset, nothing changes.
ARG NODE_EXTRA_CA_CERTS
WORKDIR /app
COPY image/install.sh image/install.sh
COPY package.json package-lock.json .npmrc ./
# The Node version check runs as npm's preinstall and is imported first by server/main.ts.
COPY bin/requireNode.cjs ./bin/
RUN --mount=type=cache,target=/root/.npm sh image/install.sh deps
COPY tsconfig.json tsconfig.build.json ./
COPY build ./build
COPY bin ./bin
COPY server ./server
COPY connectors ./connectors
COPY client ./client
RUN sh image/install.sh app

FROM ${BASE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DOCBRIDGE_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server/main.js"]
