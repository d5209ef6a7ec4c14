<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;New Project from Film…</source>
      <translation>从影片新建项目(&amp;N)…</translation>
    </message>
    <message>
      <source>&amp;Open Project…</source>
      <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <source>Save &amp;As…</source>
      <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
      <source>&amp;Relink Media…</source>
      <translation>重新链接素材(&amp;R)…</translation>
    </message>
    <message>
      <source>&amp;Export Master…</source>
      <translation>导出母版(&amp;E)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>Add &amp;Cut at Playhead</source>
      <translation>在播放头处添加剪切点(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Delete Cut</source>
      <translation>删除剪切点(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Merge Shot with Next</source>
      <translation>与下一镜头合并(&amp;M)</translation>
    </message>
    <message>
      <source>Move Cut One Frame Earlier</source>
      <translation>剪切点前移一帧</translation>
    </message>
    <message>
      <source>Move Cut One Frame Later</source>
      <translation>剪切点后移一帧</translation>
    </message>
    <message>
      <source>Detect &amp;Shots</source>
      <translation>检测镜头(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Fit Frame in Viewer</source>
      <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
      <source>Actual Pixels (1:1)</source>
      <translation>实际像素 (1:1)</translation>
    </message>
    <message>
      <source>Zoom &amp;In</source>
      <translation>放大(&amp;I)</translation>
    </message>
    <message>
      <source>Zoom &amp;Out</source>
      <translation>缩小(&amp;O)</translation>
    </message>
    <message>
      <source>Show &amp;Before (Source)</source>
      <translation>显示修复前(原片)(&amp;B)</translation>
    </message>
    <message>
      <source>Before/After &amp;Split Wipe</source>
      <translation>修复前/后分屏对比(&amp;S)</translation>
    </message>
    <message>
      <source>Show Whole Film in Timeline</source>
      <translation>时间线显示整部影片</translation>
    </message>
    <message>
      <source>&amp;Play / Pause</source>
      <translation>播放/暂停(&amp;P)</translation>
    </message>
    <message>
      <source>Shuttle Backwards</source>
      <translation>向后穿梭</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Shuttle Forwards</source>
      <translation>向前穿梭</translation>
    </message>
    <message>
      <source>Previous Frame</source>
      <translation>上一帧</translation>
    </message>
    <message>
      <source>Next Frame</source>
      <translation>下一帧</translation>
    </message>
    <message>
      <source>Previous Cut</source>
      <translation>上一剪切点</translation>
    </message>
    <message>
      <source>Next Cut</source>
      <translation>下一剪切点</translation>
    </message>
    <message>
      <source>First Frame</source>
      <translation>第一帧</translation>
    </message>
    <message>
      <source>Last Frame</source>
      <translation>最后一帧</translation>
    </message>
    <message>
      <source>&amp;Go to Frame or Timecode…</source>
      <translation>转到帧或时间码(&amp;G)…</translation>
    </message>
    <message>
      <source>&amp;View Tool (Pan and Zoom)</source>
      <translation>查看工具（平移和缩放）(&amp;V)</translation>
    </message>
    <message>
      <source>Hint &amp;Brush</source>
      <translation>提示画笔(&amp;B)</translation>
    </message>
    <message>
      <source>Hint &amp;Eraser</source>
      <translation>提示橡皮擦(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;Select Hint</source>
      <translation>选择提示(&amp;S)</translation>
    </message>
    <message>
      <source>Smaller Brush</source>
      <translation>缩小画笔</translation>
    </message>
    <message>
      <source>Larger Brush</source>
      <translation>放大画笔</translation>
    </message>
    <message>
      <source>Brush &amp;Color…</source>
      <translation>画笔颜色(&amp;C)…</translation>
    </message>
    <message>
      <source>Pick Color from &amp;Screen</source>
      <translation>从屏幕取色(&amp;S)</translation>
    </message>
    <message>
      <source>Previous Keyframe</source>
      <translation>上一个关键帧</translation>
    </message>
    <message>
      <source>Next Keyframe</source>
      <translation>下一个关键帧</translation>
    </message>
    <message>
      <source>English</source>
      <translation>English</translation>
    </message>
    <message>
      <source>简体中文 (Simplified Chinese)</source>
      <translation>简体中文</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Playback</source>
      <translation>播放(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Color</source>
      <translation>色彩(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <source>Open &amp;Recent</source>
      <translation>最近的项目(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Panels</source>
      <translation>面板(&amp;P)</translation>
    </message>
    <message>
      <source>Main Toolbar</source>
      <translation>主工具栏</translation>
    </message>
  </context>
  <context>
    <name>Edits</name>
    <message>
      <source>Add hint on frame {frame}</source>
      <translation>在第 {frame} 帧添加提示</translation>
    </message>
    <message>
      <source>Edit hint</source>
      <translation>编辑提示</translation>
    </message>
    <message>
      <source>Recolor hint</source>
      <translation>更改提示颜色</translation>
    </message>
    <message>
      <source>Move hint</source>
      <translation>移动提示</translation>
    </message>
    <message>
      <source>Erase hint</source>
      <translation>擦除提示</translation>
    </message>
    <message>
      <source>Add pin “{pin}”</source>
      <translation>添加固定色“{pin}”</translation>
    </message>
    <message>
      <source>Rename pin to “{name}”</source>
      <translation>将固定色重命名为“{name}”</translation>
    </message>
    <message>
      <source>Rename pin “{old}” to “{name}”</source>
      <translation>将固定色“{old}”重命名为“{name}”</translation>
    </message>
    <message>
      <source>Recolor pin</source>
      <translation>更改固定色</translation>
    </message>
    <message>
      <source>Recolor pin “{pin}”</source>
      <translation>更改固定色“{pin}”</translation>
    </message>
    <message>
      <source>Reorder palette</source>
      <translation>调整调色板顺序</translation>
    </message>
    <message>
      <source>Remove pin</source>
      <translation>删除固定色</translation>
    </message>
    <message>
      <source>Remove pin “{pin}”</source>
      <translation>删除固定色“{pin}”</translation>
    </message>
    <message>
      <source>Add cut at {frame}</source>
      <translation>在第 {frame} 帧添加剪切点</translation>
    </message>
    <message>
      <source>Split shot at {frame}</source>
      <translation>在第 {frame} 帧拆分镜头</translation>
    </message>
    <message>
      <source>Remove cut at {frame}</source>
      <translation>删除第 {frame} 帧的剪切点</translation>
    </message>
    <message>
      <source>Merge shot with next</source>
      <translation>与下一镜头合并</translation>
    </message>
    <message>
      <source>Merge shot {shot} with next</source>
      <translation>将镜头 {shot} 与下一镜头合并</translation>
    </message>
    <message>
      <source>Move cut from {frame} to {to}</source>
      <translation>将剪切点从第 {frame} 帧移到第 {to} 帧</translation>
    </message>
    <message>
      <source>Set cut list ({count} cuts)</source>
      <translation>设置剪切列表（{count} 个剪切点）</translation>
    </message>
    <message>
      <source>Set {key} to {value}</source>
      <translation>将 {key} 设为 {value}</translation>
    </message>
    <message>
      <source>Set {key} to {value} (project default)</source>
      <translation>将 {key} 设为 {value}（项目默认）</translation>
    </message>
    <message>
      <source>Set {key} to {value} (shot {shot})</source>
      <translation>将 {key} 设为 {value}（镜头 {shot}）</translation>
    </message>
    <message>
      <source>Reset {key}</source>
      <translation>重置 {key}</translation>
    </message>
    <message>
      <source>Reset {key} (project default)</source>
      <translation>重置 {key}（项目默认）</translation>
    </message>
    <message>
      <source>Reset {key} (shot {shot})</source>
      <translation>重置 {key}（镜头 {shot}）</translation>
    </message>
    <message>
      <source>Reset shot to project defaults</source>
      <translation>将镜头重置为项目默认</translation>
    </message>
    <message>
      <source>Reset shot {shot} to project defaults</source>
      <translation>将镜头 {shot} 重置为项目默认</translation>
    </message>
    <message>
      <source>Copy settings to {count} shots</source>
      <translation>将设置复制到 {count} 个镜头</translation>
    </message>
    <message>
      <source>Copy settings of shot {shot} to {count} shot(s)</source>
      <translation>将镜头 {shot} 的设置复制到 {count} 个镜头</translation>
    </message>
    <message>
      <source>Clear reference image</source>
      <translation>清除参考图像</translation>
    </message>
    <message>
      <source>Set reference image {file}</source>
      <translation>设置参考图像 {file}</translation>
    </message>
    <message>
      <source>Edit shot notes</source>
      <translation>编辑镜头备注</translation>
    </message>
    <message>
      <source>Relink media to {file}</source>
      <translation>将媒体重新链接到 {file}</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>编辑</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <source>Export master</source>
      <translation>导出母版</translation>
    </message>
    <message>
      <source>Preset</source>
      <translation>预设</translation>
    </message>
    <message>
      <source>Source size</source>
      <translation>原始尺寸</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>尺寸</translation>
    </message>
    <message>
      <source>Pad (bars, whole picture)</source>
      <translation>加边(黑边,完整画面)</translation>
    </message>
    <message>
      <source>Crop (fill, cut the overhang)</source>
      <translation>裁切(填满,裁去多余部分)</translation>
    </message>
    <message>
      <source>Stretch (fill, distort)</source>
      <translation>拉伸(填满,画面变形)</translation>
    </message>
    <message>
      <source>Fit</source>
      <translation>适配方式</translation>
    </message>
    <message>
      <source>Source rate ({0} fps)</source>
      <translation>原始帧率({0} fps)</translation>
    </message>
    <message>
      <source>{0} fps, in-between frames by motion</source>
      <translation>{0} fps，按运动生成中间帧</translation>
    </message>
    <message>
      <source>A higher rate invents in-between frames by motion, shot by shot, never across a cut; the sound stays in sync</source>
      <translation>更高的帧率按运动逐镜头生成中间帧，绝不跨越剪切点；声音保持同步</translation>
    </message>
    <message>
      <source>Frame rate</source>
      <translation>帧率</translation>
    </message>
    <message>
      <source>Carry every audio stream, in sync</source>
      <translation>同步保留所有音轨</translation>
    </message>
    <message>
      <source>Audio</source>
      <translation>音频</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Destination</source>
      <translation>目标位置</translation>
    </message>
    <message>
      <source>Replace an existing file</source>
      <translation>替换已有文件</translation>
    </message>
    <message>
      <source>Add to render queue</source>
      <translation>加入渲染队列</translation>
    </message>
    <message>
      <source>Folder for the image sequence</source>
      <translation>图像序列所在文件夹</translation>
    </message>
    <message>
      <source>Export master as</source>
      <translation>母版导出为</translation>
    </message>
  </context>
  <context>
    <name>HintLayer</name>
    <message>
      <source>Erase {0} hints</source>
      <translation>擦除 {0} 个提示</translation>
    </message>
  </context>
  <context>
    <name>HintTools</name>
    <message>
      <source>pinned color</source>
      <translation>固定颜色</translation>
    </message>
    <message>
      <source>color</source>
      <translation>颜色</translation>
    </message>
    <message>
      <source>Brush {0} {1} — click to choose another</source>
      <translation>画笔{0} {1} — 点击以选择其他颜色</translation>
    </message>
    <message>
      <source>Hint Tools</source>
      <translation>提示工具</translation>
    </message>
    <message>
      <source>Brush radius in source pixels ([ smaller, ] larger)</source>
      <translation>画笔半径（源像素；[ 缩小，] 放大）</translation>
    </message>
    <message>
      <source> px</source>
      <translation> 像素</translation>
    </message>
  </context>
  <context>
    <name>Inspector</name>
    <message>
      <source>Stabilize</source>
      <translation>稳定画面</translation>
    </message>
    <message>
      <source>Deflicker</source>
      <translation>去闪烁</translation>
    </message>
    <message>
      <source>Deflicker window (frames)</source>
      <translation>去闪烁窗口（帧）</translation>
    </message>
    <message>
      <source>Dust and dirt repair</source>
      <translation>修复灰尘污点</translation>
    </message>
    <message>
      <source>Dust repair strength</source>
      <translation>污点修复强度</translation>
    </message>
    <message>
      <source>Scratch repair</source>
      <translation>修复划痕</translation>
    </message>
    <message>
      <source>Scratch repair strength</source>
      <translation>划痕修复强度</translation>
    </message>
    <message>
      <source>Denoise</source>
      <translation>降噪</translation>
    </message>
    <message>
      <source>Denoise strength</source>
      <translation>降噪强度</translation>
    </message>
    <message>
      <source>Colorize</source>
      <translation>上色</translation>
    </message>
    <message>
      <source>Color strength</source>
      <translation>上色强度</translation>
    </message>
    <message>
      <source>Saturation</source>
      <translation>饱和度</translation>
    </message>
    <message>
      <source>Carry hints through the shot</source>
      <translation>将提示延续至整个镜头</translation>
    </message>
    <message>
      <source>Reference photograph</source>
      <translation>参考照片</translation>
    </message>
    <message>
      <source>Upscaler</source>
      <translation>放大器</translation>
    </message>
    <message>
      <source>Interpolate frames</source>
      <translation>插帧</translation>
    </message>
    <message>
      <source>At a cut</source>
      <translation>剪切点处</translation>
    </message>
    <message>
      <source>Regrain invented frames</source>
      <translation>为插入帧重新添加胶片颗粒</translation>
    </message>
    <message>
      <source>Upscaling models (*.safetensors *.pth *.pt *.ckpt)</source>
      <translation>超分辨率模型 (*.safetensors *.pth *.pt *.ckpt)</translation>
    </message>
    <message>
      <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp)</source>
      <translation>图像 (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp)</translation>
    </message>
    <message>
      <source>Restore</source>
      <translation>修复</translation>
    </message>
    <message>
      <source>Color</source>
      <translation>上色</translation>
    </message>
    <message>
      <source>Upscale</source>
      <translation>放大</translation>
    </message>
    <message>
      <source>Frame interpolation</source>
      <translation>插帧</translation>
    </message>
    <message>
      <source>built-in default</source>
      <translation>内置默认值</translation>
    </message>
    <message>
      <source>project default</source>
      <translation>项目默认值</translation>
    </message>
    <message>
      <source>this shot</source>
      <translation>本镜头</translation>
    </message>
    <message>
      <source>export override</source>
      <translation>导出覆盖</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Choose a file…</source>
      <translation>选择文件…</translation>
    </message>
    <message>
      <source>Reset to project default</source>
      <translation>重置为项目默认值</translation>
    </message>
    <message>
      <source>Reset to built-in default</source>
      <translation>重置为内置默认值</translation>
    </message>
    <message>
      <source>Reset shot</source>
      <translation>重置镜头</translation>
    </message>
    <message>
      <source>Reset every setting of this shot to the project default</source>
      <translation>将本镜头的所有设置重置为项目默认值</translation>
    </message>
    <message>
      <source>Copy settings</source>
      <translation>复制设置</translation>
    </message>
    <message>
      <source>Remember this shot's settings</source>
      <translation>记住本镜头的设置</translation>
    </message>
    <message>
      <source>Paste settings</source>
      <translation>粘贴设置</translation>
    </message>
    <message>
      <source>Give this shot the settings of the copied shot</source>
      <translation>将所复制镜头的设置应用到本镜头</translation>
    </message>
    <message>
      <source>This shot</source>
      <translation>当前镜头</translation>
    </message>
    <message>
      <source>Project defaults</source>
      <translation>项目默认</translation>
    </message>
    <message>
      <source>Edit this shot's own settings, or the project defaults every shot inherits unless it overrides them</source>
      <translation>编辑当前镜头自己的设置，或编辑所有镜头默认继承（除非单独设置）的项目默认值</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Shot</source>
      <translation>镜头</translation>
    </message>
    <message>
      <source>Palette</source>
      <translation>调色板</translation>
    </message>
    <message>
      <source>Reference</source>
      <translation>参考图</translation>
    </message>
    <message>
      <source>Shots</source>
      <translation>镜头列表</translation>
    </message>
    <message>
      <source>Render Queue</source>
      <translation>渲染队列</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Go to</source>
      <translation>转到</translation>
    </message>
    <message>
      <source>Frame number or timecode HH:MM:SS:FF</source>
      <translation>帧号或时间码 HH:MM:SS:FF</translation>
    </message>
    <message>
      <source>Master written and verified: {0}</source>
      <translation>母版已写入并校验:{0}</translation>
    </message>
    <message>
      <source>&amp;Undo {0}</source>
      <translation>撤销 {0}(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo {0}</source>
      <translation>重做 {0}(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>No project open</source>
      <translation>未打开项目</translation>
    </message>
    <message>
      <source>Shot {0} of {1}</source>
      <translation>第 {0} 个镜头,共 {1} 个</translation>
    </message>
    <message>
      <source>Frames {0}–{1} ({2} frames)</source>
      <translation>第 {0}–{1} 帧(共 {2} 帧)</translation>
    </message>
    <message>
      <source>In {0}   Out {1}</source>
      <translation>入点 {0}   出点 {1}</translation>
    </message>
  </context>
  <context>
    <name>Palette</name>
    <message>
      <source>Add</source>
      <translation>添加</translation>
    </message>
    <message>
      <source>Pick a color and add it to the palette</source>
      <translation>选取颜色并添加到调色板</translation>
    </message>
    <message>
      <source>Rename</source>
      <translation>重命名</translation>
    </message>
    <message>
      <source>Rename the selected pinned color</source>
      <translation>重命名所选的固定颜色</translation>
    </message>
    <message>
      <source>Recolor</source>
      <translation>更改颜色</translation>
    </message>
    <message>
      <source>Change the selected color in every shot that uses it</source>
      <translation>在所有使用该颜色的镜头中更改所选颜色</translation>
    </message>
    <message>
      <source>Move the selected color up</source>
      <translation>将所选颜色上移</translation>
    </message>
    <message>
      <source>Move the selected color down</source>
      <translation>将所选颜色下移</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message>
      <source>Remove the selected color; its strokes keep their color</source>
      <translation>移除所选颜色；使用它的笔触保留其颜色</translation>
    </message>
  </context>
  <context>
    <name>ProjectFlow</name>
    <message>
      <source>{0} (unsaved)</source>
      <translation>{0}(未保存)</translation>
    </message>
    <message>
      <source>Untitled</source>
      <translation>未命名</translation>
    </message>
    <message>
      <source>Reading film</source>
      <translation>正在读取影片</translation>
    </message>
    <message>
      <source>Reading {0}</source>
      <translation>正在读取 {0}</translation>
    </message>
    <message>
      <source>Choose another copy of the film.</source>
      <translation>请选择该影片的另一个副本。</translation>
    </message>
    <message>
      <source>The film is missing. Use File ▸ Relink Media to find it.</source>
      <translation>影片缺失。请使用"文件 ▸ 重新链接素材"找到它。</translation>
    </message>
    <message>
      <source>Detecting shots</source>
      <translation>正在检测镜头</translation>
    </message>
    <message>
      <source>Detecting shots…</source>
      <translation>正在检测镜头…</translation>
    </message>
    <message>
      <source>Detect shots ({0} cuts)</source>
      <translation>检测镜头({0} 个剪切点)</translation>
    </message>
    <message>
      <source>Found {0} shots</source>
      <translation>找到 {0} 个镜头</translation>
    </message>
    <message>
      <source>Saved {0}</source>
      <translation>已保存 {0}</translation>
    </message>
  </context>
  <context>
    <name>Prompts</name>
    <message>
      <source>Unsaved changes</source>
      <translation>未保存的更改</translation>
    </message>
    <message>
      <source>Save the changes to {0} before closing it?</source>
      <translation>关闭前是否保存对 {0} 的更改?</translation>
    </message>
    <message>
      <source>an unsaved project</source>
      <translation>一个未保存的项目</translation>
    </message>
    <message>
      <source>Recover unsaved edits</source>
      <translation>恢复未保存的编辑</translation>
    </message>
    <message>
      <source>Relume did not close properly. Recover the unsaved edits of {0}?</source>
      <translation>Relume 上次未正常关闭。是否恢复 {0} 未保存的编辑?</translation>
    </message>
    <message>
      <source>New project from film</source>
      <translation>从影片新建项目</translation>
    </message>
    <message>
      <source>Open project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <source>Save project as</source>
      <translation>项目另存为</translation>
    </message>
    <message>
      <source>Relume</source>
      <translation>Relume</translation>
    </message>
    <message>
      <source>Pinned color</source>
      <translation>固定颜色</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Reference photograph</source>
      <translation>参考照片</translation>
    </message>
    <message>
      <source>Brush color</source>
      <translation>画笔颜色</translation>
    </message>
  </context>
  <context>
    <name>ReferencePanel</name>
    <message>
      <source>No reference photograph for this shot</source>
      <translation>此镜头没有参考照片</translation>
    </message>
    <message>
      <source>No project open</source>
      <translation>未打开项目</translation>
    </message>
    <message>
      <source>{0}: cannot be read as a photograph</source>
      <translation>{0}：无法作为照片读取</translation>
    </message>
    <message>
      <source>The screen cannot be read here</source>
      <translation>此处无法读取屏幕</translation>
    </message>
    <message>
      <source>Load…</source>
      <translation>载入…</translation>
    </message>
    <message>
      <source>Choose a color photograph to guide this shot</source>
      <translation>选择一张彩色照片来指导此镜头的上色</translation>
    </message>
    <message>
      <source>Clear</source>
      <translation>清除</translation>
    </message>
    <message>
      <source>Remove this shot's reference photograph</source>
      <translation>移除此镜头的参考照片</translation>
    </message>
    <message>
      <source>Pick from Screen</source>
      <translation>从屏幕取色</translation>
    </message>
    <message>
      <source>Click anywhere on the screen to pick its color</source>
      <translation>点击屏幕上任意位置以拾取其颜色</translation>
    </message>
    <message>
      <source>Add to Palette</source>
      <translation>加入调色板</translation>
    </message>
    <message>
      <source>Pin the picked color under a name</source>
      <translation>为拾取的颜色命名并固定到调色板</translation>
    </message>
    <message>
      <source>Click the photograph to pick a color into the brush</source>
      <translation>点击照片，将其颜色拾取到画笔</translation>
    </message>
    <message>
      <source>Click the photograph to pick a color</source>
      <translation>点击照片以拾取颜色</translation>
    </message>
  </context>
  <context>
    <name>RelinkDialog</name>
    <message>
      <source>Relink media</source>
      <translation>重新链接素材</translation>
    </message>
    <message>
      <source>The film of this project cannot be used:
{0}</source>
      <translation>无法使用本项目的影片:
{0}</translation>
    </message>
    <message>
      <source>Locate the file…</source>
      <translation>手动定位文件…</translation>
    </message>
    <message>
      <source>Search a folder…</source>
      <translation>在文件夹中搜索…</translation>
    </message>
    <message>
      <source>Open without media</source>
      <translation>不带素材打开</translation>
    </message>
    <message>
      <source>{0} is not this project's film (its size or content differ)</source>
      <translation>{0} 不是本项目的影片(大小或内容不同)</translation>
    </message>
    <message>
      <source>The film is not in {0}</source>
      <translation>在 {0} 中没有找到该影片</translation>
    </message>
    <message>
      <source>Locate the film</source>
      <translation>定位影片</translation>
    </message>
    <message>
      <source>Search for the film in</source>
      <translation>在此文件夹中搜索影片</translation>
    </message>
  </context>
  <context>
    <name>RenderQueuePanel</name>
    <message>
      <source>Master</source>
      <translation>母版</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Progress</source>
      <translation>进度</translation>
    </message>
    <message>
      <source>fps</source>
      <translation>帧/秒</translation>
    </message>
    <message>
      <source>ETA</source>
      <translation>剩余时间</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Stop the export and remove everything it wrote</source>
      <translation>停止导出并删除已写入的全部内容</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <source>Stop the export after keeping the shots it finished</source>
      <translation>停止导出，保留已完成的镜头</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <source>Queue a paused, cancelled or failed export again; a paused or failed project export renders only the shots it had not finished</source>
      <translation>将暂停、取消或失败的导出重新排队；暂停或失败的项目导出只渲染尚未完成的镜头</translation>
    </message>
    <message>
      <source>Queued</source>
      <translation>排队中</translation>
    </message>
    <message>
      <source>Rendering</source>
      <translation>渲染中</translation>
    </message>
    <message>
      <source>Verifying</source>
      <translation>校验中</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>完成</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <source>Paused</source>
      <translation>已暂停</translation>
    </message>
  </context>
  <context>
    <name>ShotListModel</name>
    <message>
      <source>Shot</source>
      <translation>镜头</translation>
    </message>
    <message>
      <source>In</source>
      <translation>入点</translation>
    </message>
    <message>
      <source>Out</source>
      <translation>出点</translation>
    </message>
    <message>
      <source>Frames</source>
      <translation>帧数</translation>
    </message>
    <message>
      <source>Cut</source>
      <translation>剪切点</translation>
    </message>
    <message>
      <source>by hand</source>
      <translation>手动</translation>
    </message>
    <message>
      <source>detected {0:.0%}</source>
      <translation>检测 {0:.0%}</translation>
    </message>
  </context>
  <context>
    <name>Timeline</name>
    <message>
      <source>Open a film or a project to begin</source>
      <translation>打开一部影片或一个项目以开始</translation>
    </message>
  </context>
  <context>
    <name>TransportBar</name>
    <message>
      <source>Type a frame number or a timecode HH:MM:SS:FF and press Enter</source>
      <translation>输入帧号或时间码 HH:MM:SS:FF 后按回车</translation>
    </message>
    <message>
      <source>frame {0} of {1}</source>
      <translation>第 {0} 帧 / 共 {1} 帧</translation>
    </message>
    <message>
      <source>not a frame or timecode</source>
      <translation>不是有效的帧号或时间码</translation>
    </message>
  </context>
  <context>
    <name>Viewer</name>
    <message>
      <source>Before</source>
      <translation>修复前</translation>
    </message>
    <message>
      <source>After</source>
      <translation>修复后</translation>
    </message>
  </context>
</TS>
