import { Type, type Static, type TSchema } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });

/** RFC 9457 problem details, with our stable `code` and, for bad input, the fields at fault. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    /** What the request collides with, when it can be named (the open ticket on the same asset). */
    existingId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
    ),
  },
  { $id: 'Problem', title: 'Problem details (RFC 9457)' },
);
export type Problem = Static<typeof Problem>;

export const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type PageQuery = Static<typeof PageQuery>;

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    page: Type.Integer(),
    pageSize: Type.Integer(),
    total: Type.Integer(),
  });
}
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** ISO-8601 timestamp with offset. */
export const Timestamp = Type.String({ format: 'date-time' });

/** What a problem type means, as its `type` URL documents it. */
export const ProblemType = Type.Object({
  code: Type.String(),
  status: Type.Integer(),
  title: Type.Object({ zh: Type.String(), en: Type.String() }),
  /** The message an occurrence carries as `detail`; `{name}` stands for a value of the occurrence. */
  detail: Type.Object({ zh: Type.String(), en: Type.String() }),
});
export type ProblemType = Static<typeof ProblemType>;
export const ProblemTypeList = Type.Array(ProblemType);
