"""Text before anything is read from it: decoding, windows over long inputs, look-alike characters.

- :mod:`geoverify.text.normalise`: look-alike digits and marks read by one policy, with an
  offset map back into the original text;
- :mod:`geoverify.text.stream`: tolerant decoding of files and stdin, and windows with
  overlap so a gigabyte dump is read in bounded memory.
"""
