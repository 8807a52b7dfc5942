import { Type, type Static } from 'typebox';

/**
 * The documents of Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) and of its service
 * request updates extension, as this server answers them: in JSON as written here, in XML with the
 * root and item elements the spec names (given in each operation's answer). Field names are the spec's own.
 */

const Text = Type.String();

export const Open311Discovery = Type.Object(
  {
    changeset: Text,
    contact: Text,
    key_service: Text,
    endpoints: Type.Array(
      Type.Object({ specification: Text, url: Text, changeset: Text, type: Type.Union([Type.Literal('production'), Type.Literal('test')]), formats: Type.Array(Text) }),
    ),
  },
);

export const Open311Service = Type.Object({
  service_code: Text,
  service_name: Text,
  description: Text,
  metadata: Type.Boolean(),
  type: Type.Union([Type.Literal('realtime'), Type.Literal('batch'), Type.Literal('blackbox')]),
  keywords: Text,
  group: Text,
});
export const Open311ServiceList = Type.Array(Open311Service);

export const Open311Attribute = Type.Object({
  variable: Type.Boolean(),
  code: Text,
  datatype: Type.Union(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'].map((t) => Type.Literal(t))),
  required: Type.Boolean(),
  datatype_description: Text,
  order: Type.Integer(),
  description: Text,
  values: Type.Optional(Type.Array(Type.Object({ key: Text, name: Text }))),
});
export const Open311ServiceDefinition = Type.Object(
  { service_code: Text, attributes: Type.Array(Open311Attribute) },
);

export const Open311Request = Type.Object({
  service_request_id: Text,
  token: Text,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  status_notes: Text,
  service_name: Text,
  service_code: Text,
  description: Text,
  agency_responsible: Text,
  service_notice: Text,
  requested_datetime: Text,
  updated_datetime: Text,
  expected_datetime: Text,
  address: Text,
  address_id: Text,
  zipcode: Text,
  lat: Type.Union([Type.Number(), Type.Null()]),
  long: Type.Union([Type.Number(), Type.Null()]),
  media_url: Text,
});
export const Open311RequestList = Type.Array(Open311Request);

/** The answer to a posted request: its id at once (the ticket exists when the answer is sent). */
export const Open311PostedRequest = Type.Array(
  Type.Object({ service_request_id: Text, token: Type.Optional(Text), service_notice: Text, account_id: Text }),
);

export const Open311Update = Type.Object({
  update_id: Text,
  service_request_id: Text,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  updated_datetime: Text,
  description: Text,
  media_url: Text,
});
export const Open311UpdateList = Type.Array(Open311Update);

export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Text }));

export type Open311Discovery = Static<typeof Open311Discovery>;
export type Open311ServiceList = Static<typeof Open311ServiceList>;
export type Open311RequestList = Static<typeof Open311RequestList>;
