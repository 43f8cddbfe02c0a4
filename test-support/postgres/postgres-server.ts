/** The real PostgreSQL server the store tests start: the benchmark's (bench/ ships in dist/ and cannot import test code). */
export { PostgresServer, postgresBin, type PostgresOptions } from '../../bench/postgres-server';
