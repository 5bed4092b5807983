// How far npm start's first start has got: written by the ETL (etl/first-load.ts), shown by the
// progress page the server answers meanwhile (server/preparing.ts).
export interface FirstLoadProgress {
  /** generate: files are being generated (and loaded as they come); load: all are generated, the last
   * ones are being loaded; scores: the last file is loaded, marts and indicator scores are being built
   * and the snapshot published */
  phase: 'generate' | 'load' | 'scores';
  /** rows generated so far and the generator's estimate of all */
  rowsGenerated: number;
  rowsExpected: number;
  filesGenerated: number;
  filesLoaded: number;
}
