# One image per demo app of this repository (build argument APP: express-demo or nest-demo).
# Workspace packages are built to dist/ because the apps import them through their package exports.
FROM node:20-bookworm-slim
RUN corepack enable
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build
ARG APP=express-demo
ENV APP=${APP}
# Shell form so $APP is read at run time; exec so the app gets SIGTERM and closes its caches.
CMD exec pnpm --filter "@sentinel-kit/${APP}" start
