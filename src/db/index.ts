export { wrapDbError } from './db-error';
export { openDatabase, pgliteParsers, isInProcessPglite, type Database, type DatabaseKind, type OpenDatabaseOptions } from './open-database';
export { migrate, listMigrations, migrationsDigest, type Migration } from './migrate';
export { loadSql, listSql, readSql, runSql, stripComments, SQL_ROOT } from './sql-files';
export { readRows } from './read-rows';
export { openConfiguredDatabase } from './configured';
export { openOfficeDatabase, officeDatabaseError, type OfficeDatabase, type OfficeClient } from './office-database';
export { containsPattern } from './like-pattern';
export { withDatabase } from './database-url';
