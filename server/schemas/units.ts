// GET /api/units: response.
import { Type, type Static } from 'typebox';

const Names = {
  code: Type.String(),
  name: Type.String(),
  short_name: Type.String(),
  name_en: Type.String({ description: "official English name: 'Guangxi', 'Nanning', 'Xingning District'" }),
};

export const UnitsResponse = Type.Object({
  province: Type.Object(Names),
  cities: Type.Array(
    Type.Object({
      ...Names,
      pinyin: Type.String(),
      counties: Type.Array(
        Type.Object({ ...Names, pinyin: Type.String(), kind: Type.String({ description: 'district, city, county or autonomous_county' }) }),
      ),
    }),
  ),
});
export type UnitsResponse = Static<typeof UnitsResponse>;
