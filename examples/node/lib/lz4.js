'use strict';
// kafkajs reads only gzip without a codec: this registers LZ4 (the compression streamsgd's sinks
// use by default) through lz4js, a pure-JavaScript LZ4 frame codec.

const { CompressionTypes, CompressionCodecs } = require('kafkajs');
const lz4 = require('lz4js');

function register() {
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
    decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
  });
}

module.exports = { register };
