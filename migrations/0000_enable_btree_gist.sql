-- btree_gist lets exclusion constraints mix equality (a resource id) with range overlap (a booked time).
CREATE EXTENSION IF NOT EXISTS btree_gist;
