// GET /api/health and GET /api/meta: responses.
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

const NullableString = Nullable(Type.String());

export const HealthResponse = Type.Object({ status: Type.Literal('ok'), snapshot: Type.String() });
export const NoWarehouseResponse = Type.Object({
  status: Type.Union([Type.Literal('no_warehouse'), Type.Literal('warehouse_outdated')], {
    description: 'no_warehouse: none built yet; warehouse_outdated: the live one was built by other warehouse code',
  }),
  snapshot: Type.Null(),
  message: Type.String({ description: 'what to run' }),
});
export type HealthResponse = Static<typeof HealthResponse>;

export const MetaResponse = Type.Object({
  snapshot: Type.Object({
    id: Type.String({ description: 'changes with every published snapshot; part of every ETag' }),
    opened_at: Type.String({ description: 'when this server started serving it (ISO 8601, UTC)' }),
    built_at: { ...NullableString, description: 'when the ETL built it' },
    catalog_version: { ...NullableString, description: 'indicator catalog version it was scored with' },
    newest_data: { ...NullableString, description: 'the newest date in any fact, YYYY-MM-DD' },
    code_version: { ...NullableString, description: 'the warehouse code version that built it (core/warehouse-code.ts)' },
  }),
});
export type MetaResponse = Static<typeof MetaResponse>;
