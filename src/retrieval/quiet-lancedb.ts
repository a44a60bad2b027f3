// LanceDB's native layer reads LANCEDB_LOG when it loads; import this module before it so routine
// warnings ("no existing dataset, it will be created") stay out of our structured logs.
process.env.LANCEDB_LOG ??= "error";
export {};
