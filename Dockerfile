# Liaison: the bot (gateway and/or HTTP interactions endpoint). Build: docker build -t liaison .
# Native modules (SQLite) compile in the build stage; the runtime image has no compiler.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production INTERACTIONS_HOST=0.0.0.0 INTERACTIONS_PORT=8080
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN mkdir -p var && chown node:node var
USER node
EXPOSE 8080
# node itself is PID 1 and handles SIGTERM: stop taking interactions, finish those in flight, close the store.
CMD ["node", "--import", "tsx", "src/main.ts"]
