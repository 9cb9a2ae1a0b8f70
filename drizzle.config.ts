import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the tables of every module (`npx drizzle-kit generate`) and applied at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/**/tables.ts',
  out: './drizzle',
});
