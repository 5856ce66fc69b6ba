"""What PostgreSQL holds for a set of tables, as plain data to compare: columns (in order, with
type, nullability, default and generated expression), constraints, indexes, storage options,
triggers, and the functions of the public schema."""


def schema_of(cursor, table_prefix: str) -> dict:
    like = table_prefix.replace("_", r"\_") + "%"
    cursor.execute(
        """
        SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
               a.attnotnull, a.attgenerated, pg_get_expr(d.adbin, d.adrelid)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind = 'r' AND c.relname LIKE %s AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum
        """,
        [like],
    )
    tables: dict = {}
    for table, _num, name, kind, notnull, generated, default in cursor.fetchall():
        tables.setdefault(table, {"columns": [], "constraints": {}, "indexes": {}})
        tables[table]["columns"].append([name, kind, notnull, generated, default])
    cursor.execute(
        """
        SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE c.relname LIKE %s
        """,
        [like],
    )
    for table, name, definition in cursor.fetchall():
        tables[table]["constraints"][name] = definition
    cursor.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = 'public' AND tablename LIKE %s",
        [like],
    )
    for table, name, definition in cursor.fetchall():
        tables[table]["indexes"][name] = definition
    cursor.execute(
        """
        SELECT c.relname, coalesce(c.reloptions, '{}')::text FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE c.relkind = 'r' AND c.relname LIKE %s
        """,
        [like],
    )
    for table, options in cursor.fetchall():
        tables[table]["options"] = options
    cursor.execute(
        """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE NOT t.tgisinternal AND c.relname LIKE %s
        """,
        [like],
    )
    for table, name, definition in cursor.fetchall():
        tables[table].setdefault("triggers", {})[name] = definition
    cursor.execute(
        """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public'
        ORDER BY 1, 2
        """
    )
    functions = {f"{name}({args})": body for name, args, body in cursor.fetchall()}
    return {"tables": tables, "functions": functions}
