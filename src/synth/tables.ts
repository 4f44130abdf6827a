/**
 * The export files of docs/data-contract.md: names, exact headers, and which field of each is the
 * key, a date and an amount (where broken rows are planted).
 */

/** Kinds of broken rows planted in the exports. */
export const BROKEN_KINDS = ['non_numeric_amount', 'impossible_date', 'missing_key', 'wrong_field_count'] as const;

/** One kind of broken row. */
export type BrokenKind = (typeof BROKEN_KINDS)[number];

/** Layout of one export file. */
export interface TableSpec {
  /** File name inside the export folder. */
  readonly file: string;
  /** Column names, in order. */
  readonly columns: readonly string[];
  /** Index of the key column emptied by a `missing_key` row. */
  readonly key: number;
  /** Index of a date or timestamp column spoiled by an `impossible_date` row. */
  readonly date: number;
  /** Index of an amount column spoiled by a `non_numeric_amount` row; -1 when the table has none. */
  readonly amount: number;
  /** Whether the file starts with a UTF-8 BOM. */
  readonly bom: boolean;
}

/** The six export files. */
export const TABLES = {
  debtors: {
    file: 'debiteurs.csv',
    columns: ['id_debiteur', 'code_etude', 'civilite', 'nom', 'prenom', 'date_naissance', 'adresse', 'code_postal', 'ville', 'pays', 'opposition_demarchage', 'date_maj'],
    key: 0, date: 5, amount: -1, bom: true,
  },
  cases: {
    file: 'dossiers.csv',
    columns: ['id_dossier', 'id_debiteur', 'code_etude', 'creancier', 'nature_creance', 'montant_principal', 'frais', 'date_ouverture', 'phase', 'statut', 'conteste'],
    key: 0, date: 7, amount: 5, bom: false,
  },
  payments: {
    file: 'paiements.csv',
    columns: ['id_paiement', 'id_dossier', 'date_paiement', 'montant', 'mode_reglement'],
    key: 0, date: 2, amount: 3, bom: false,
  },
  calls: {
    file: 'appels.csv',
    columns: ['id_appel', 'id_debiteur', 'id_dossier', 'telephone', 'date_heure_appel', 'duree_sec', 'resultat', 'agent'],
    key: 0, date: 4, amount: -1, bom: false,
  },
  promises: {
    file: 'promesses.csv',
    columns: ['id_promesse', 'id_dossier', 'date_promesse', 'montant_promis', 'date_echeance', 'statut_promesse'],
    key: 0, date: 2, amount: 3, bom: false,
  },
  phones: {
    file: 'telephones.csv',
    columns: ['id_debiteur', 'telephone', 'type_tel', 'date_ajout'],
    key: 0, date: 3, amount: -1, bom: false,
  },
} as const satisfies Record<string, TableSpec>;

/** Name of an export table. */
export type TableName = keyof typeof TABLES;

/** Kinds of broken row that make sense for a table. */
export function brokenKindsOf(spec: TableSpec): BrokenKind[] {
  return BROKEN_KINDS.filter((k) => k !== 'non_numeric_amount' || spec.amount >= 0);
}
