// Field limits of the directory (the contract allows descriptions up to 4000 characters).
export const FIELD_LIMITS = {
  id: 64,
  org: 200,
  title: 200,
  description: 4000,
  keyword: 60,
  keywords: 30,
  region: 100,
  contact: 300,
} as const;

/** How many validation problems one error message lists before it says "and N more". */
export const MAX_REPORTED_PROBLEMS = 50;
