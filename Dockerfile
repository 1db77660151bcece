# The gateway as a container: built in one stage, run from production
# dependencies only, as the unprivileged `node` user. The entry is the same
# `node dist/main.js` that `npm start` runs after its build step, with the same
# environment variables (docs/configuration.md).
#
#   docker build -t graphql-gateway .
#   docker run -p 4000:4000 graphql-gateway            # demo upstreams in-process
#   docker run -p 4000:4000 -e USERS_SERVICE_URL=http://users:8080 ... graphql-gateway

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The GraphiQL page's bundle (dist/graphiql-assets/) is built from the dev dependencies, here only.
COPY scripts/build-graphiql.ts ./scripts/
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# Liveness only: readiness (/readiness) is for load balancers, see deploy/kubernetes.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, which starts the drain.
CMD ["node", "dist/main.js"]
