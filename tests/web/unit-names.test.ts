// Under the English switch units read under their official English names; chart axes take the short form.
import { describe, expect, it } from 'vitest';
import type { UnitTree } from '../../web/api/types.ts';
import { englishNames } from '../../web/format/unitNames.ts';

const tree: UnitTree = {
  province: { code: '450000', name: '广西壮族自治区', short_name: '广西', name_en: 'Guangxi' },
  cities: [
    {
      code: '450300',
      name: '桂林市',
      short_name: '桂林',
      pinyin: 'gui lin',
      name_en: 'Guilin',
      counties: [
        { code: '450325', name: '兴安县', short_name: '兴安', pinyin: 'xing an', kind: 'county', name_en: "Xing'an County" },
        { code: '450328', name: '龙胜各族自治县', short_name: '龙胜', pinyin: 'long sheng', kind: 'autonomous_county', name_en: 'Longsheng Various Nationalities Autonomous County' },
      ],
    },
  ],
};

describe('English unit names', () => {
  const names = englishNames(tree);
  it('every level by code: province, city, county', () => {
    expect(names.get('450000')?.name).toBe('Guangxi');
    expect(names.get('450300')?.name).toBe('Guilin');
    expect(names.get('450328')?.name).toBe('Longsheng Various Nationalities Autonomous County');
  });
  it('the short form drops the kind, keeping the apostrophe of the syllable break', () => {
    expect(names.get('450325')?.short).toBe("Xing'an");
    expect(names.get('450328')?.short).toBe('Longsheng');
  });
});
