# syntax=docker/dockerfile:1
# Build stage: bundle the TypeScript sources with esbuild (scripts/build-bundle.ts) into dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies and the compiled output only, as a non-root user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    OLLAMA_URL=http://host.docker.internal:11434
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY openapi.yaml README.md ./
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8 flags: src/cli/runtime-flags.ts (the same for npm start, the bin and the benchmark; decision 0009).
CMD ["node", "--max-semi-space-size=8", "dist/cli/main.js", "serve"]
