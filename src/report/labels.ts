// Every word a report shows, from the i18n catalogues and the sector list, in one language.
import { INTRO_STAGES } from '../domain/collaboration.ts';
import type { CarrierKind, CarrierLevel, IntroStage } from '../domain/collaboration.ts';
import { sectorById } from '../domain/sectors.ts';
import type { SectorId } from '../domain/sectors.ts';
import { translate } from '../i18n/index.ts';
import type { Locale, MessageKey, Vars } from '../i18n/index.ts';

export interface ReportLabels {
  t(key: MessageKey, vars?: Vars): string;
  sector(id: SectorId): string;
  stage(stage: IntroStage): string;
  carrier(kind: CarrierKind, level: CarrierLevel | undefined): string;
  readonly stages: readonly IntroStage[];
}

export function reportLabels(locale: Locale): ReportLabels {
  const t = (key: MessageKey, vars: Vars = {}) => translate(locale, key, vars);
  return {
    t,
    sector: (id) => (locale === 'zh-CN' ? sectorById(id).zh : sectorById(id).en),
    stage: (stage) => t(`stage.${stage}`),
    carrier: (kind, level) => (level ? t('report.carrierLevel', { kind: t(`kind.${kind}`), level: t(`level.${level}`) }) : t(`kind.${kind}`)),
    stages: INTRO_STAGES,
  };
}
