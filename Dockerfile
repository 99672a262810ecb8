# Liaison: the bot (gateway and/or HTTP interactions endpoint). Build: docker build -t liaison .
# The build stage compiles (native SQLite module, TypeScript → dist/ through npm's prepare), then drops
# the dev dependencies; the runtime image has no compiler and runs as the unprivileged node user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production INTERACTIONS_HOST=0.0.0.0 INTERACTIONS_PORT=8080
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/data ./data
COPY --from=build /app/dist ./dist
# The node user writes the store (var/) and the start's compiled-code cache (dist/.v8-cache/, src/code-cache.ts:
# without it every start compiles the bundle again); the rest of the image stays root's, read-only to it.
RUN mkdir -p var dist/.v8-cache && chown node:node var dist/.v8-cache
USER node
EXPOSE 8080
# node is PID 1 and handles SIGTERM: stop taking interactions, finish those in flight, close the store.
CMD ["node", "dist/src/main.js"]
