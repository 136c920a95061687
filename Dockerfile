# The bot on Node 20 with an embedded libSQL file in /data. tini is PID 1: it forwards SIGTERM to
# node (which drains and exits 0) and reaps children; without it, use `docker run --init`.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production DATABASE_URL=file:/data/bot.db
VOLUME /data
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
# The node flags of `npm start` (package.json); tests/config.test.ts keeps the two the same.
CMD ["node", "--enable-source-maps", "--max-semi-space-size=8", "dist/bot/entry-node.js"]
