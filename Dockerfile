# One image for the scheduler, worker and api processes of relance.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY dags ./dags
COPY sql ./sql
COPY config ./config
COPY tsconfig.json ./
USER node
ENTRYPOINT ["node", "bin/relance.js"]
CMD ["--help"]
