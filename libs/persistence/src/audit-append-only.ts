import { QueryRunner } from 'typeorm';

/**
 * Makes an app's `audit_entry` append-only in the database itself: any UPDATE, DELETE or TRUNCATE
 * is refused by statement triggers (they fire even when no row matches, and for every role,
 * the table's owner and a superuser included), and the privileges to do them are taken from the
 * role that runs the migrations (the apps' role). Undoing it takes a migration, not a query.
 */
export async function makeAuditAppendOnly(runner: QueryRunner, schema: string): Promise<void> {
  const table = `"${schema}"."audit_entry"`;
  await runner.query(`CREATE FUNCTION "${schema}"."audit_entry_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`);
  await runner.query(
    `CREATE TRIGGER "audit_entry_append_only" BEFORE UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION "${schema}"."audit_entry_is_append_only"()`,
  );
  await runner.query(
    `CREATE TRIGGER "audit_entry_no_truncate" BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION "${schema}"."audit_entry_is_append_only"()`,
  );
  await runner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC, CURRENT_USER`);
}

export async function undoAuditAppendOnly(runner: QueryRunner, schema: string): Promise<void> {
  const table = `"${schema}"."audit_entry"`;
  await runner.query(`GRANT UPDATE, DELETE, TRUNCATE ON ${table} TO CURRENT_USER`);
  await runner.query(`DROP TRIGGER "audit_entry_no_truncate" ON ${table}`);
  await runner.query(`DROP TRIGGER "audit_entry_append_only" ON ${table}`);
  await runner.query(`DROP FUNCTION "${schema}"."audit_entry_is_append_only"()`);
}
