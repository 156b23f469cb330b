"""Building the offline index from source packages (never imported by lookup code).

- :mod:`~geoverify.gazetteer.build.index`: the whole build (names, then boundaries), atomic
  and locked;
- :mod:`~geoverify.gazetteer.build.boundaries`: country, region and border tables;
- :mod:`~geoverify.gazetteer.build.sources`: which registry packages the build reads;
- :mod:`~geoverify.gazetteer.build.geonames_import`: merging GeoNames dumps a user downloaded.
"""
